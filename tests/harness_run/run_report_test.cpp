// Reports and result transport: the worker-to-runner encoding round-trips and rejects
// truncations; JSON and XML escaping; JUnit structure; pcap files libpcap can read back;
// the summary line; suites: collection, sharding, filtering, --fast.
#include <gtest/gtest.h>
#include <pcap/pcap.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "harness/report/report.hpp"
#include "harness/runner/wire.hpp"
#include "harness/suite/suite.hpp"

namespace sp::harness {
namespace {

namespace fs = std::filesystem;

TestResult sample() {
  TestResult r;
  r.name = "t<1>";
  r.path = "suite/t1.spt";
  r.verdict = Verdict::kFail;
  Failure f;
  f.kind = "packet";
  f.line = 7;
  f.event = "+0 expect flags=SA";
  f.message = "the packet from the IUT does not match the expect";
  f.observed = "192.0.2.1:8080 > 192.0.2.2:40000 Flags [R.]";
  f.fields = {{"flags", "SA", "RA", false}, {"seq", "0", "0", true}};
  r.failure = f;
  r.diff = "x \"quoted\" & <tag>\n\ttab \x01 é";
  r.duration = 0.25;
  r.start_realtime_ns = 1700000000123456789;
  r.packets.push_back({0.001, false, {0x45, 0, 0, 20}, "in", "injected", 5});
  r.packets.push_back({0.002, true, {0x45, 1, 2, 3}, "out", "unexpected", 7});
  r.trace = {"+0.000 line 5: inject"};
  r.reaction_latencies = {0.00025, 0.0031};
  return r;
}

TEST(RunReport, WireRoundTrip) {
  TestResult r = sample();
  std::string bytes = encode_result(r);
  TestResult back;
  ASSERT_TRUE(decode_result(bytes, &back));
  EXPECT_EQ(back.name, r.name);
  EXPECT_EQ(back.verdict, r.verdict);
  ASSERT_TRUE(back.failure);
  EXPECT_EQ(back.failure->fields.size(), 2u);
  EXPECT_EQ(back.failure->fields[1].ok, true);
  EXPECT_EQ(back.diff, r.diff);
  EXPECT_EQ(back.start_realtime_ns, r.start_realtime_ns);
  ASSERT_EQ(back.packets.size(), 2u);
  EXPECT_EQ(back.packets[1].bytes, r.packets[1].bytes);
  EXPECT_EQ(back.packets[1].line, 7);
  EXPECT_EQ(back.trace, r.trace);
  EXPECT_EQ(back.reaction_latencies, r.reaction_latencies);
  // Every truncation (a worker killed mid-write) is rejected.
  for (size_t n = 0; n < bytes.size(); ++n) {
    TestResult t;
    EXPECT_FALSE(decode_result(std::string_view(bytes).substr(0, n), &t)) << n;
  }
  EXPECT_FALSE(decode_result(bytes + "x", &back));
}

TEST(RunReport, Escaping) {
  EXPECT_EQ(json_string("a\"b\\c\n\x01é"), "\"a\\\"b\\\\c\\n\\u0001é\"");
  EXPECT_EQ(json_string(std::string("\xff")), "\"\\ufffd\"");
  EXPECT_EQ(xml_escape("<a href=\"x\">&'\n\x02"), "&lt;a href=&quot;x&quot;&gt;&amp;&apos;&#10;?");
  // Only valid UTF-8 passes: 0xf8 leads no sequence (its continuation bytes are stray
  // too), 0xc0 0x80 is overlong, a 3-byte sequence cut short is not one.
  EXPECT_EQ(json_string(std::string("\xf8\x80\x80")), "\"\\ufffd\\ufffd\\ufffd\"");
  EXPECT_EQ(xml_escape(std::string("\xc0\x80|\xe2\x82|\xe2\x82\xac")), "??|??|\xe2\x82\xac");
}

TEST(RunReport, DiffLinesAndSummary) {
  TestResult r = sample();
  std::string d = render_diff(r);
  EXPECT_EQ(d.rfind("suite/t1.spt:7: fail: the packet from the IUT does not match the expect\n", 0), 0u) << d;
  EXPECT_NE(d.find("    flags: expected: SA vs actual: RA\n"), std::string::npos) << d;
  EXPECT_NE(d.find("    seq: 0 (matches 0)\n"), std::string::npos) << d;
  EXPECT_NE(d.find("+0.002 IUT>    out  [unexpected, line 7]"), std::string::npos) << d;
  TestResult pass;
  pass.verdict = Verdict::kPass;
  TestResult skip;
  skip.verdict = Verdict::kSkipped;
  EXPECT_EQ(format_summary({r, pass, pass, skip}, 2.0), "4 tests in 2.00 s (1.5 tests/s): 2 pass, 1 fail, 1 skipped");
}

fs::path temp(const std::string& name) {
  return fs::temp_directory_path() / ("sp_report_" + std::to_string(getpid()) + "_" + name);
}

std::string slurp(const fs::path& p) {
  std::ifstream f(p);
  return std::string((std::istreambuf_iterator<char>(f)), {});
}

TEST(RunReport, JunitAndJson) {
  TestResult fail = sample();
  TestResult dev = sample();
  dev.name = "dev";
  dev.verdict = Verdict::kExpectedDeviation;
  dev.deviation = "d1";
  dev.deviation_text = "RFC 9293 §3.10.7.4: ...";
  TestResult skip;
  skip.name = "slow";
  skip.verdict = Verdict::kSkipped;
  skip.note = "tier slow, skipped by --fast";
  std::string error;
  fs::path xml = temp("junit.xml"), json = temp("results.json");
  ASSERT_TRUE(write_junit(xml.string(), {fail, dev, skip}, {"linux", 1.5, "", {}, {}, {}}, &error)) << error;
  ASSERT_TRUE(write_results_json(json.string(), {fail, dev, skip}, {"linux", 1.5, "", {}, {}, {}}, &error)) << error;
  std::string x = slurp(xml);
  EXPECT_NE(x.find("<testsuites name=\"stateproof run\" tests=\"3\" failures=\"1\" errors=\"0\" time="),
            std::string::npos) << x;
  EXPECT_NE(x.find("<testsuite name=\"stateproof.linux\" tests=\"3\" failures=\"1\" errors=\"0\" skipped=\"1\""),
            std::string::npos) << x;
  EXPECT_NE(x.find("<testcase name=\"t&lt;1&gt;\" classname=\"stateproof.linux.suite\""), std::string::npos) << x;
  EXPECT_NE(x.find("<failure message=\"the packet from the IUT does not match the expect\" type=\"packet\">"),
            std::string::npos) << x;
  EXPECT_NE(x.find("expected deviation `d1`"), std::string::npos);
  EXPECT_NE(x.find("<skipped message=\"tier slow, skipped by --fast\"/>"), std::string::npos);
  std::string j = slurp(json);
  EXPECT_NE(j.find("\"summary\": {\"expected deviation\": 1, \"fail\": 1, \"skipped\": 1}"), std::string::npos) << j;
  EXPECT_NE(j.find("\"hex\": \"45010203\""), std::string::npos);
  EXPECT_NE(j.find("\"fields\": [{\"field\": \"flags\", \"expected\": \"SA\", \"actual\": \"RA\", \"ok\": false}"),
            std::string::npos) << j;
  EXPECT_NE(j.find("\"reaction_latencies\": [0.000250, 0.003100]"), std::string::npos) << j;
  fs::remove(xml);
  fs::remove(json);
  EXPECT_FALSE(write_junit("/nonexistent/dir/x.xml", {}, {"linux", 0, "", {}, {}, {}}, &error));
}

TEST(RunReport, PcapReadsBack) {
  TestResult r = sample();
  r.name = "pcap_test";
  r.packets[0].bytes = std::vector<uint8_t>(40, 0x45);
  fs::path dir = temp("pcap");
  std::string error;
  ASSERT_TRUE(write_pcap(dir.string(), r, &error)) << error;
  char errbuf[PCAP_ERRBUF_SIZE];
  pcap_t* p = pcap_open_offline((dir / "pcap_test.pcap").c_str(), errbuf);
  ASSERT_NE(p, nullptr) << errbuf;
  EXPECT_EQ(pcap_datalink(p), DLT_RAW);
  struct pcap_pkthdr* h;
  const u_char* data;
  ASSERT_EQ(pcap_next_ex(p, &h, &data), 1);
  EXPECT_EQ(h->caplen, 40u);
  EXPECT_EQ(h->ts.tv_sec, 1700000000);
  EXPECT_EQ(h->ts.tv_usec, 124456);  // .123456789 + 1 ms
  ASSERT_EQ(pcap_next_ex(p, &h, &data), 1);
  EXPECT_EQ(h->caplen, 4u);
  EXPECT_EQ(pcap_next_ex(p, &h, &data), PCAP_ERROR_BREAK);
  pcap_close(p);
  fs::remove_all(dir);
}

TEST(RunSuite, CollectShardFilterFast) {
  fs::path dir = temp("suite");
  fs::create_directories(dir / "sub");
  auto write = [&](const fs::path& p, const std::string& text) {
    std::ofstream f(dir / p);
    f << text;
  };
  write("a.spt", "test a\n+0 call listen\n");
  write("b.spt", "test b\ntier slow\n+0 call listen\n");
  write("sub/c.spt", "test c\n+0 call listen\n");
  write("sub/d.spt", "test a\n+0 call listen\n");  // duplicate name
  write("sub/e.spt", "test e\n+0 call nothing\n");  // malformed
  write("notes.txt", "not a test");
  std::vector<std::string> errors;
  std::vector<std::string> files = collect_test_files({dir.string(), (dir / "a.spt").string()}, &errors);
  EXPECT_TRUE(errors.empty());
  ASSERT_EQ(files.size(), 5u);
  Suite all = load_suite(files, Selection{});
  EXPECT_TRUE(all.bad_input);
  EXPECT_EQ(all.tests.size(), 3u);    // a, b, c
  EXPECT_EQ(all.not_run.size(), 2u);  // duplicate a, malformed e
  ASSERT_EQ(all.errors.size(), 2u);
  EXPECT_NE(all.errors[0].message.find("is also used by"), std::string::npos);
  EXPECT_EQ(all.errors[1].line, 2);

  Selection fast;
  fast.fast = true;
  Suite f = load_suite(files, fast);
  EXPECT_EQ(f.tests.size(), 2u);
  Selection filt;
  filt.filter = "[bc]";
  EXPECT_EQ(load_suite(files, filt).tests.size(), 2u);
  size_t total = 0;
  for (int i = 1; i <= 3; ++i) {
    Selection s;
    s.shard_index = i;
    s.shard_count = 3;
    Suite sh = load_suite(files, s);
    total += sh.tests.size() + sh.not_run.size();
  }
  EXPECT_EQ(total, 5u);
  int i = 0, n = 0;
  EXPECT_TRUE(parse_shard("2/3", &i, &n));
  EXPECT_EQ(i, 2);
  EXPECT_FALSE(parse_shard("0/3", &i, &n));
  EXPECT_FALSE(parse_shard("4/3", &i, &n));
  EXPECT_FALSE(parse_shard("1/", &i, &n));
  EXPECT_FALSE(parse_shard("x", &i, &n));
  collect_test_files({(dir / "missing").string()}, &errors);
  EXPECT_EQ(errors.size(), 1u);
  fs::remove_all(dir);
}

}  // namespace
}  // namespace sp::harness
