#include "harness/monitor/monitor.hpp"

#include <algorithm>
#include <condition_variable>
#include <deque>
#include <list>
#include <mutex>
#include <thread>
#include <memory>
#include <unordered_map>

#include "harness/monitor/capture.hpp"
#include "harness/monitor/tcp_side.hpp"
#include "harness/packet/address.hpp"

namespace sp::monitor {

namespace {

std::string endpoint(uint32_t ip, uint16_t port) {
  return packet::Ipv4Address{ip}.to_string() + ":" + std::to_string(port);
}

// A connection's place in the open or the ended list, by its last segment's time.
struct Activity {
  Canon key;
  int64_t last_us = 0;
};

struct Connection {
  FlowKey key;
  ConnectionResult result;
  std::unique_ptr<TcpSide> side[2];  // [0]: host a as the role, [1]: host b
  int client = 0;                    // 0: a, 1: b
  bool fin[2] = {false, false};      // a FIN from a / from b
  bool ended = false;                // a RST, or both FINs
  std::list<Activity>::iterator where;  // in the open or the ended list
};

// One record as a connection sees it (what the reader hands a worker).
struct Item {
  uint64_t frame = 0;
  int64_t time_us = 0;
  bool truncated = false;
  TcpView view;                // !truncated
  FlowKey key;                 // truncated: its 4-tuple
  uint32_t captured = 0, wire_length = 0;
};

class Splitter {
 public:
  Splitter(const RoleSystem& rs, const TcpWireMap& wire, const MonitorOptions& o, const ResultSink& sink,
           Totals* totals)
      : rs_(rs), wire_(wire), o_(o), sink_(sink), totals_(*totals) {}

  void segment(const Item& rec) {
    const TcpView& v = rec.view;
    const packet::TcpHeader& h = v.header;
    const uint32_t src = v.src, dst = v.dst;
    const Canon c = canon(src, h.src_port, dst, h.dst_port);
    auto it = conns_.find(c);
    if (it == conns_.end()) {
      it = open(c, rec, src, h, dst);
      if (it == conns_.end()) return;
    }
    Connection& conn = it->second;
    const int from = (src == conn.key.a_ip && h.src_port == conn.key.a_port) ? 0 : 1;
    ConnectionResult& r = conn.result;
    ++r.packets;
    r.last_frame = rec.frame;
    r.last_time_us = rec.time_us;
    Segment s;
    s.frame = rec.frame;
    s.time_us = rec.time_us;
    s.flags = h.flags;
    s.seq = h.seq;
    s.ack = h.ack;
    if (!wire_.fields(h, v.payload_len, &s.fields, &s.unrepresentable)) s.fields.clear();
    for (int k = 0; k < 2; ++k) {
      if (!conn.side[k]) continue;
      s.from_role = from == k;
      conn.side[k]->add(s);
    }
    if (h.flags & packet::kTcpFin) conn.fin[from] = true;
    const bool ended = (h.flags & packet::kTcpRst) || (conn.fin[0] && conn.fin[1]);
    // Most recent last: the list it is in (it moves to the ended ones at its RST or FIN).
    std::list<Activity>& was = conn.ended ? ended_ : open_;
    conn.ended = conn.ended || ended;
    std::list<Activity>& now = conn.ended ? ended_ : open_;
    now.splice(now.end(), was, conn.where);
    conn.where->last_us = rec.time_us;
  }

  // A truncated record: the connection it belongs to (when its ports are visible) is
  // inconclusive from here on.
  void truncated(const Item& rec) {
    auto it = conns_.find(canon(rec.key));
    if (it == conns_.end()) return;
    for (auto& side : it->second.side) {
      if (side) {
        side->give_up("truncated packet at frame " + std::to_string(rec.frame) + " (" +
                      std::to_string(rec.captured) + " of " + std::to_string(rec.wire_length) +
                      " bytes captured)");
      }
    }
  }

  // Hands out the connections that ended before `now`.
  void sweep(int64_t now) {
    while (!ended_.empty() && ended_.front().last_us + o_.linger_us < now) close(ended_.front().key);
    while (!open_.empty() && open_.front().last_us + o_.idle_us < now) close(open_.front().key);
  }

  void finish() {
    std::vector<Canon> rest;
    for (const auto& [c, conn] : conns_) rest.push_back(c);
    std::sort(rest.begin(), rest.end(), [&](const Canon& x, const Canon& y) {
      return conns_.at(x).result.id < conns_.at(y).result.id;
    });
    for (const Canon& c : rest) close(c);
  }

 private:
  std::unordered_map<Canon, Connection, CanonHash>::iterator open(const Canon& c, const Item& rec, uint32_t src,
                                                                   const packet::TcpHeader& h, uint32_t dst) {
    Connection conn;
    conn.key = FlowKey{src, dst, h.src_port, h.dst_port};
    // The client sent the first SYN; without one in sight, the host on the higher port.
    if ((h.flags & packet::kTcpSyn) && (h.flags & packet::kTcpAck)) {
      conn.client = 1;
    } else if (!(h.flags & packet::kTcpSyn)) {
      conn.client = h.src_port >= h.dst_port ? 0 : 1;
    }
    bool any = false;
    for (int k = 0; k < 2; ++k) {
      const uint32_t ip = k == 0 ? src : dst;
      const bool is_client = k == conn.client;
      bool want = o_.side == SideChoice::kBoth || (o_.side == SideChoice::kClient && is_client) ||
                  (o_.side == SideChoice::kServer && !is_client) || (o_.side == SideChoice::kAddress && ip == o_.address);
      if (!want) continue;
      conn.side[k] = std::make_unique<TcpSide>(rs_, wire_, o_.timers);
      SideResult& sr = conn.side[k]->result();
      sr.role_host = endpoint(ip, k == 0 ? h.src_port : h.dst_port);
      sr.side = is_client ? "client" : "server";
      any = true;
    }
    if (!any) return conns_.end();
    conn.result.id = rec.frame;
    conn.result.a = endpoint(src, h.src_port);
    conn.result.b = endpoint(dst, h.dst_port);
    conn.result.first_frame = rec.frame;
    conn.result.first_time_us = rec.time_us;
    open_.push_back({c, rec.time_us});
    conn.where = std::prev(open_.end());
    auto it = conns_.emplace(c, std::move(conn)).first;
    totals_.peak_open = std::max(totals_.peak_open, conns_.size());
    return it;
  }

  void close(const Canon& c) {
    auto it = conns_.find(c);
    Connection& conn = it->second;
    (conn.ended ? ended_ : open_).erase(conn.where);
    ++totals_.connections;
    for (auto& side : conn.side) {
      if (!side) continue;
      side->finish();
      SideResult& sr = side->result();
      (sr.verdict == Verdict::kConforms ? totals_.conforms
       : sr.verdict == Verdict::kDeparts ? totals_.departs : totals_.inconclusive)++;
      conn.result.sides.push_back(std::move(sr));
    }
    sink_(conn.result, conn.key);
    conns_.erase(it);
  }

  const RoleSystem& rs_;
  const TcpWireMap& wire_;
  const MonitorOptions& o_;
  const ResultSink& sink_;
  Totals& totals_;
  std::unordered_map<Canon, Connection, CanonHash> conns_;
  std::list<Activity> open_, ended_;  // by last segment, oldest first
};

// The record as an Item for a worker, or false (counted in *totals) when it is not a
// TCP segment of a connection.
bool to_item(const Record& rec, Item* item, Totals* totals) {
  item->frame = rec.frame;
  item->time_us = rec.time_us;
  switch (rec.kind) {
    case RecordKind::kArp: ++totals->arp; return false;
    case RecordKind::kOther: ++totals->other; return false;
    case RecordKind::kTruncated: {
      ++totals->truncated;
      const std::optional<FlowKey> k = tcp_flow(rec.bytes);
      if (!k) return false;
      item->truncated = true;
      item->key = *k;
      item->captured = static_cast<uint32_t>(rec.raw.size());
      item->wire_length = rec.wire_length;
      return true;
    }
    case RecordKind::kIpv4: break;
  }
  item->truncated = false;
  item->view = tcp_view(rec.bytes);
  switch (item->view.kind) {
    case TcpView::Kind::kMalformed: ++totals->undecodable; return false;
    case TcpView::Kind::kFragment: ++totals->fragments; return false;
    case TcpView::Kind::kOther: ++totals->other; return false;
    case TcpView::Kind::kTcp: break;
  }
  ++totals->tcp;
  return true;
}

void handle(Splitter& split, const Item& item) {
  split.sweep(item.time_us);
  if (item.truncated) {
    split.truncated(item);
  } else {
    split.segment(item);
  }
}

Canon canon_of(const Item& item) {
  if (item.truncated) return canon(item.key);
  const packet::TcpHeader& h = item.view.header;
  return canon(item.view.src, h.src_port, item.view.dst, h.dst_port);
}

// A worker thread with its own connections: the reader hands it batches of items.
class Lane {
 public:
  static constexpr size_t kBatch = 1024, kMaxBatches = 32;

  Lane(const RoleSystem& rs, const TcpWireMap& wire, const MonitorOptions& o, const ResultSink& sink)
      : split_(rs, wire, o, sink, &totals_), thread_([this] { work(); }) {}
  ~Lane() { finish(); }

  void add(const Item& item) {
    filling_.push_back(item);
    if (filling_.size() >= kBatch) flush();
  }
  // Hands over the rest, waits until the worker has seen everything and ended its
  // connections.
  void finish() {
    if (!thread_.joinable()) return;
    flush();
    {
      std::lock_guard<std::mutex> g(m_);
      done_ = true;
    }
    cv_.notify_all();
    thread_.join();
  }
  const Totals& totals() const { return totals_; }

 private:
  void flush() {
    if (filling_.empty()) return;
    std::unique_lock<std::mutex> g(m_);
    cv_.wait(g, [&] { return batches_.size() < kMaxBatches; });  // bounded: the reader waits
    batches_.push_back(std::move(filling_));
    filling_.clear();
    cv_.notify_all();
  }
  void work() {
    for (;;) {
      std::vector<Item> batch;
      {
        std::unique_lock<std::mutex> g(m_);
        cv_.wait(g, [&] { return done_ || !batches_.empty(); });
        if (batches_.empty()) break;
        batch = std::move(batches_.front());
        batches_.pop_front();
      }
      cv_.notify_all();
      for (const Item& item : batch) handle(split_, item);
    }
    split_.finish();
  }

  Totals totals_;
  Splitter split_;
  std::vector<Item> filling_;
  std::mutex m_;
  std::condition_variable cv_;
  std::deque<std::vector<Item>> batches_;
  bool done_ = false;
  std::thread thread_;
};

}  // namespace

const char* verdict_name(Verdict v) {
  switch (v) {
    case Verdict::kConforms: return "conforms";
    case Verdict::kDeparts: return "departs";
    case Verdict::kInconclusive: return "inconclusive";
  }
  return "?";
}

bool run_monitor(const std::string& path, const RoleSystem& rs, const TcpWireMap& wire, const MonitorOptions& options,
                 const ResultSink& sink, Totals* totals, std::string* error) {
  std::unique_ptr<Capture> cap = Capture::open(path, error);
  if (!cap) return false;
  Record rec;
  Item item;
  if (options.jobs <= 1) {
    Splitter split(rs, wire, options, sink, totals);
    while (cap->next(&rec, error)) {
      ++totals->records;
      if (to_item(rec, &item, totals)) handle(split, item);
    }
    split.finish();
    return error->empty();
  }
  // Connections are independent: each goes to one worker, by its 4-tuple.
  std::mutex sink_mutex;
  const ResultSink locked = [&](const ConnectionResult& r, const FlowKey& k) {
    std::lock_guard<std::mutex> g(sink_mutex);
    sink(r, k);
  };
  std::vector<std::unique_ptr<Lane>> lanes;
  for (int j = 0; j < options.jobs; ++j) lanes.push_back(std::make_unique<Lane>(rs, wire, options, locked));
  const CanonHash hash;
  while (cap->next(&rec, error)) {
    ++totals->records;
    if (to_item(rec, &item, totals)) lanes[hash(canon_of(item)) % lanes.size()]->add(item);
  }
  for (auto& lane : lanes) {
    lane->finish();
    const Totals& t = lane->totals();
    totals->connections += t.connections;
    totals->conforms += t.conforms;
    totals->departs += t.departs;
    totals->inconclusive += t.inconclusive;
    totals->peak_open += t.peak_open;
  }
  return error->empty();
}

}  // namespace sp::monitor
