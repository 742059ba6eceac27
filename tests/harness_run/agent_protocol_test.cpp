// The agent protocol: command and reply syntax, the client against fake agents on a
// socketpair (well-behaved, garbage, hanging, dying), the shared serve loop, and agent
// processes that crash. No privileges needed.
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/socket.h>
#include <unistd.h>

#include <functional>
#include <thread>

#include "harness/agent/client.hpp"
#include "harness/agent/protocol.hpp"
#include "harness/agent/serve.hpp"

namespace sp::harness::agent {
namespace {

TEST(AgentProtocol, ParsesEveryCommandAndFormatsItBack) {
  for (const char* line : {"listen 8080", "listen 8080 reuseaddr", "connect 192.0.2.2 40000",
                           "connect 192.0.2.2 40000 8080", "connect 192.0.2.2 40000 8080 reuseaddr",
                           "accept", "send 10", "recv", "shutdown", "close", "abort", "state",
                           "state 192.0.2.2 40000", "resolve 192.0.2.3", "announce",
                           "neighbour 192.0.2.2", "sysctl net.ipv4.tcp_sack 0", "sync 0", "sync 17", "reset",
                           "quit"}) {
    std::string error;
    std::optional<Command> c = parse_command(line, &error);
    ASSERT_TRUE(c) << line << ": " << error;
    EXPECT_EQ(format_command(*c), line);
  }
}

TEST(AgentProtocol, RejectsMalformedCommandsWithAReason) {
  struct Case {
    const char* line;
    const char* why;
  } cases[] = {
      {"", "empty line"},
      {"jump 3", "unknown command `jump`"},
      {"listen", "usage: listen PORT"},
      {"listen reuseaddr", "usage: listen PORT [reuseaddr]"},
      {"listen 8080 reuseaddr reuseaddr", "usage: listen PORT [reuseaddr]"},
      {"listen 0", "bad port `0`"},
      {"listen 70000", "bad port `70000`"},
      {"connect 192.0.2 80", "bad IPv4 address `192.0.2`"},
      {"send -1", "bad byte count `-1`"},
      {"send 1x", "bad byte count `1x`"},
      {"state 192.0.2.2", "usage: state [ADDR PORT]"},
      {"accept now", "usage: accept"},
      {"sync", "usage: sync N"},
      {"sync -1", "bad frame count `-1`"},
      {"sync 3 4", "usage: sync N"},
      {"close\x01", "control characters"},
  };
  for (const Case& c : cases) {
    std::string error;
    EXPECT_FALSE(parse_command(c.line, &error)) << c.line;
    EXPECT_NE(error.find(c.why), std::string::npos) << c.line << " -> " << error;
  }
  std::string error;
  EXPECT_FALSE(parse_command(std::string(kMaxLine + 1, 'a'), &error));
}

TEST(AgentProtocol, Replies) {
  std::string error;
  std::optional<Reply> r = parse_reply("ok ESTABLISHED 192.0.2.1:8080", &error);
  ASSERT_TRUE(r);
  EXPECT_TRUE(r->ok);
  EXPECT_EQ(r->text, "ESTABLISHED 192.0.2.1:8080");
  r = parse_reply("ok\r", &error);
  ASSERT_TRUE(r);
  EXPECT_EQ(r->text, "");
  r = parse_reply("err stack ECONNREFUSED: refused", &error);
  ASSERT_TRUE(r);
  EXPECT_FALSE(r->ok);
  EXPECT_EQ(r->code, "stack");
  EXPECT_EQ(r->text, "ECONNREFUSED: refused");
  for (const char* bad : {"okay", "OK", "err", "err 42 x", "hello", "err Stack x"}) {
    EXPECT_FALSE(parse_reply(bad, &error)) << bad;
  }
  EXPECT_EQ(format_reply(err_reply(kErrStack, "two\nlines")), "err stack two lines");
  EXPECT_TRUE(is_harness_error_code(kErrUsage));
  EXPECT_FALSE(is_harness_error_code(kErrStack));
}

TEST(AgentProtocol, CallsBecomeCommandsWithTheAddressBook) {
  AddressBook book;
  std::string error;
  Call c;
  c.kind = Call::Kind::kConnect;
  EXPECT_EQ(format_command(*command_for_call(c, book, &error)), "connect 192.0.2.2 40000 8080");
  c.kind = Call::Kind::kListen;
  EXPECT_EQ(format_command(*command_for_call(c, book, &error)), "listen 8080");
  c.reuseaddr = true;
  EXPECT_EQ(format_command(*command_for_call(c, book, &error)), "listen 8080 reuseaddr");
  c.kind = Call::Kind::kConnect;
  EXPECT_EQ(format_command(*command_for_call(c, book, &error)), "connect 192.0.2.2 40000 8080 reuseaddr");
  c.reuseaddr = false;
  c.kind = Call::Kind::kResolve;
  c.address = "other.ip";
  EXPECT_EQ(format_command(*command_for_call(c, book, &error)), "resolve 192.0.2.3");
  c.address = "nowhere";
  EXPECT_FALSE(command_for_call(c, book, &error));
}

// A fake agent on the other end of a socketpair: answers each command line with what
// `script` returns (raw bytes, newline included; "" sends nothing: a hang).
class FakeAgent {
 public:
  explicit FakeAgent(std::function<std::string(const std::string&)> script, std::string ready = "ready fake\n")
      : script_(std::move(script)) {
    int sv[2];
    EXPECT_EQ(socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv), 0);
    client_ = AgentClient::adopt(sv[0], sv[0], -1, -1, "agent fake");
    fd_ = sv[1];
    thread_ = std::thread([this, ready] {
      if (!ready.empty()) (void)!write(fd_, ready.data(), ready.size());
      std::string buf;
      char c;
      while (read(fd_, &c, 1) == 1) {
        if (c != '\n') {
          buf += c;
          continue;
        }
        std::string out = script_(buf);
        buf.clear();
        if (out == "<close>") break;
        if (!out.empty()) (void)!write(fd_, out.data(), out.size());
      }
      close(fd_);
    });
  }
  ~FakeAgent() {
    client_.reset();  // closes our end: the fake's read returns 0
    thread_.join();
  }
  AgentClient& client() { return *client_; }

 private:
  std::function<std::string(const std::string&)> script_;
  std::unique_ptr<AgentClient> client_;
  int fd_ = -1;
  std::thread thread_;
};

TEST(AgentClient, TalksToAWellBehavedAgent) {
  FakeAgent fake([](const std::string& line) -> std::string {
    if (line.starts_with("state")) return "ok SYN_RCVD pcb 192.0.2.1:8080 > 192.0.2.2:40000\n";
    if (line.starts_with("neighbour")) return "ok 02:00:00:00:00:02 stable\n";
    if (line == "send 10") return "err stack ERR_MEM: out of memory\n";
    if (line == "close") return "err nosocket no socket\n";
    return "ok\n";
  });
  AgentClient& a = fake.client();
  ASSERT_TRUE(a.wait_ready(1.0)) << a.error();
  EXPECT_EQ(a.ready_text(), "fake");
  AddressBook book;
  Call listen;
  listen.kind = Call::Kind::kListen;
  EXPECT_TRUE(a.call(listen, book).ok);
  Call send;
  send.kind = Call::Kind::kSend;
  send.bytes = 10;
  CallOutcome o = a.call(send, book);
  EXPECT_FALSE(o.ok);
  EXPECT_FALSE(o.harness_error);  // the stack refused: the IUT's doing
  EXPECT_EQ(o.message, "send: ERR_MEM: out of memory (agent: err stack)");
  Call close_call;
  close_call.kind = Call::Kind::kClose;
  o = a.call(close_call, book);
  EXPECT_TRUE(o.harness_error);
  StateObservation s = a.tcp_state(book.tester_ip, book.tester_port);
  ASSERT_TRUE(s.ok) << s.error;
  EXPECT_EQ(s.state, "SYN_RCVD");
  NeighbourObservation n = a.neighbour(book.tester_ip);
  ASSERT_TRUE(n.ok);
  EXPECT_EQ(n.mac, book.tester_mac);
  EXPECT_FALSE(a.broken());
}

TEST(AgentClient, GarbageBreaksTheSessionWithAClearMessage) {
  FakeAgent fake([](const std::string&) -> std::string { return "HTTP/1.1 400 Bad Request\n"; });
  AgentClient& a = fake.client();
  ASSERT_TRUE(a.wait_ready(1.0));
  Call c;
  c.kind = Call::Kind::kListen;
  CallOutcome o = a.call(c, AddressBook{});
  EXPECT_FALSE(o.ok);
  EXPECT_TRUE(o.harness_error);
  EXPECT_NE(o.message.find("sent garbage in reply to `listen 8080`: `HTTP/1.1 400 Bad Request`"),
            std::string::npos)
      << o.message;
  // Every later request fails at once with the same sentence.
  StateObservation s = a.tcp_state(AddressBook{}.tester_ip, 40000);
  EXPECT_FALSE(s.ok);
  EXPECT_EQ(s.error, o.message);
}

TEST(AgentClient, AnUnknownStateNameOrAMissingLineEndIsGarbage) {
  FakeAgent fake([](const std::string& line) -> std::string {
    return line.starts_with("state") ? "ok HALF_OPEN\n" : std::string(3000, 'x');
  });
  AgentClient& a = fake.client();
  ASSERT_TRUE(a.wait_ready(1.0));
  StateObservation s = a.tcp_state(AddressBook{}.tester_ip, 40000);
  EXPECT_FALSE(s.ok);
  EXPECT_NE(s.error.find("not a TCP state name"), std::string::npos) << s.error;

  FakeAgent fake2([](const std::string&) -> std::string { return std::string(3000, 'x'); });
  ASSERT_TRUE(fake2.client().wait_ready(1.0));
  Command c;
  c.verb = Command::Verb::kRecv;
  EXPECT_FALSE(fake2.client().request(c));
  EXPECT_NE(fake2.client().error().find("longer than 1024 bytes"), std::string::npos) << fake2.client().error();
}

TEST(AgentClient, AHangingAgentTimesOut) {
  FakeAgent fake([](const std::string&) -> std::string { return ""; });
  AgentClient& a = fake.client();
  ASSERT_TRUE(a.wait_ready(1.0));
  Command c;
  c.verb = Command::Verb::kAccept;
  EXPECT_FALSE(a.request(c, 0.1));
  EXPECT_EQ(a.error(), "agent fake did not answer `accept` within 0.1 s (hung?)");
}

TEST(AgentClient, AnAgentThatClosesTheChannelIsNamed) {
  FakeAgent fake([](const std::string&) -> std::string { return "<close>"; });
  ASSERT_TRUE(fake.client().wait_ready(1.0));
  Command c;
  c.verb = Command::Verb::kAbort;
  EXPECT_FALSE(fake.client().request(c, 1.0));
  EXPECT_NE(fake.client().error().find("closed the channel `abort`"), std::string::npos) << fake.client().error();
}

TEST(AgentClient, ABadReadyLineIsGarbage) {
  FakeAgent fake([](const std::string&) -> std::string { return "ok\n"; }, "hello there\n");
  EXPECT_FALSE(fake.client().wait_ready(1.0));
  EXPECT_NE(fake.client().error().find("instead of its ready line: `hello there`"), std::string::npos);
}

TEST(AgentClient, ACrashingProcessIsReportedWithItsSignalAndStderr) {
  std::string error;
  auto a = AgentClient::spawn("echo ready crashy; read line; echo 'about to crash' >&2; kill -SEGV $$", {},
                              &error);
  ASSERT_TRUE(a) << error;
  ASSERT_TRUE(a->wait_ready(2.0)) << a->error();
  Command c;
  c.verb = Command::Verb::kListen;
  c.port = 8080;
  EXPECT_FALSE(a->request(c, 2.0));
  EXPECT_NE(a->error().find("killed by signal 11 SIGSEGV"), std::string::npos) << a->error();
  EXPECT_NE(a->error().find("its stderr: about to crash"), std::string::npos) << a->error();
}

TEST(AgentClient, AProcessGetsItsEnvironmentAndAMissingOneFailsCleanly) {
  std::string error;
  auto a = AgentClient::spawn("echo ready $SP_AGENT_TEST_VALUE; cat >/dev/null", {{"SP_AGENT_TEST_VALUE", "v42"}},
                              &error);
  ASSERT_TRUE(a) << error;
  ASSERT_TRUE(a->wait_ready(2.0)) << a->error();
  EXPECT_EQ(a->ready_text(), "v42");
  auto b = AgentClient::spawn("/nonexistent/agent-binary", {}, &error);
  ASSERT_TRUE(b);
  EXPECT_FALSE(b->wait_ready(2.0));
  EXPECT_NE(b->error().find("exit status 127"), std::string::npos) << b->error();
}

TEST(AgentClient, ConnectToANonListeningAddressFails) {
  std::string error;
  EXPECT_FALSE(AgentClient::connect_to("127.0.0.1:1", 0.5, &error));
  EXPECT_NE(error.find("cannot connect to the agent at 127.0.0.1:1"), std::string::npos) << error;
  EXPECT_FALSE(AgentClient::connect_to("localhost", 0.5, &error));
  EXPECT_NE(error.find("expected IPV4:PORT"), std::string::npos);
}

// A driver that records commands, for the serve loop.
class RecordingDriver : public Driver {
 public:
  Reply handle(const Command& c) override {
    seen.push_back(format_command(c));
    if (c.verb == Command::Verb::kState) return ok_reply("LISTEN");
    return ok_reply();
  }
  std::vector<std::string> seen;
};

TEST(AgentServe, AnswersEveryLineAndResetsAtTheEnd) {
  int sv[2];
  ASSERT_EQ(socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv), 0);
  RecordingDriver driver;
  std::thread agent([&] {
    serve(sv[1], sv[1], driver, "recording");
    close(sv[1]);
  });
  std::string raw = "listen 8080\nbogus\n" + std::string(2000, 'y') + "\nstate\nquit\n";
  ASSERT_EQ(write(sv[0], raw.data(), raw.size()), static_cast<ssize_t>(raw.size()));
  std::vector<std::string> replies;
  std::string buf;
  char c;
  while (read(sv[0], &c, 1) == 1) {
    if (c == '\n') {
      replies.push_back(buf);
      buf.clear();
    } else {
      buf += c;
    }
  }
  agent.join();
  close(sv[0]);
  ASSERT_EQ(replies.size(), 6u);
  EXPECT_EQ(replies[0], "ready recording");
  EXPECT_EQ(replies[1], "ok");
  EXPECT_EQ(replies[2], "err usage unknown command `bogus`");
  EXPECT_EQ(replies[3], "err usage line longer than 1024 bytes");
  EXPECT_EQ(replies[4], "ok LISTEN");
  EXPECT_EQ(replies[5], "ok");
  EXPECT_EQ(driver.seen, (std::vector<std::string>{"listen 8080", "state", "quit", "reset"}));
}

}  // namespace
}  // namespace sp::harness::agent
