#include "harness/monitor/pcap_out.hpp"

#include <memory>
#include <unordered_map>

#include "harness/monitor/capture.hpp"
#include "util/atomic_file.hpp"

namespace sp::monitor {

namespace {

void put32(std::string* s, uint32_t v) { s->append(reinterpret_cast<const char*>(&v), 4); }

}  // namespace

bool write_flows_pcap(const std::string& capture, const std::vector<FlowRange>& flows, const std::string& out,
                      std::string* error) {
  std::unique_ptr<Capture> cap = Capture::open(capture, error);
  if (!cap) return false;
  std::unordered_multimap<Canon, const FlowRange*, CanonHash> by_key;
  for (const FlowRange& f : flows) by_key.emplace(canon(f.key), &f);
  util::AtomicFile file;
  if (!file.open(out, error)) return false;
  std::string buf;
  // The file header pcap_dump writes: magic in host order, version 2.4, microseconds.
  put32(&buf, 0xa1b2c3d4);
  buf.append("\x02\x00\x04\x00", 4);
  put32(&buf, 0);
  put32(&buf, 0);
  put32(&buf, cap->snaplen());
  put32(&buf, static_cast<uint32_t>(cap->linktype()));
  Record rec;
  while (cap->next(&rec, error)) {
    const std::optional<FlowKey> k = tcp_flow(rec.bytes);
    if (!k) continue;
    bool want = false;
    auto [lo, hi] = by_key.equal_range(canon(*k));
    for (auto it = lo; it != hi && !want; ++it) {
      want = rec.frame >= it->second->first_frame && rec.frame <= it->second->last_frame;
    }
    if (!want) continue;
    put32(&buf, static_cast<uint32_t>(rec.time_us / 1000000));
    put32(&buf, static_cast<uint32_t>(rec.time_us % 1000000));
    put32(&buf, static_cast<uint32_t>(rec.raw.size()));
    put32(&buf, rec.wire_length);
    buf.append(reinterpret_cast<const char*>(rec.raw.data()), rec.raw.size());
    if (buf.size() >= (1u << 20)) {
      file.write(buf);
      buf.clear();
    }
  }
  if (!error->empty()) return false;  // the AtomicFile's destructor removes the partial file
  file.write(buf);
  return file.commit(error);
}

}  // namespace sp::monitor
