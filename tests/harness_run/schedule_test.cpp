// The runner's schedule (harness/runner/schedule.hpp): tests that mostly sleep start
// first, longest first, in waiting slots of their own; busy tests are bounded by --jobs.
#include "harness/runner/schedule.hpp"

#include <gtest/gtest.h>

#include "harness/suite/parse.hpp"

namespace sp::harness {
namespace {

TestCase make(const std::string& name, bool slow, double wait) {
  std::string text = "test " + name + "\n" + (slow ? "tier slow\n" : "") + "+0 call listen\n+0 wait " +
                     std::to_string(wait) + "\n";
  ParseOutcome p = parse_test(text, name + ".spt");
  EXPECT_TRUE(p.test) << text;
  return *p.test;
}

TestCase parse(const std::string& text) {
  ParseOutcome p = parse_test(text, "t.spt");
  EXPECT_TRUE(p.test) << text;
  return p.test ? *p.test : TestCase{};
}

TEST(Schedule, IdleTimeCountsDelaysWaitsAndSilentWindows) {
  EXPECT_DOUBLE_EQ(idle_seconds(parse("test a\n+0 call listen\n+0 inject flags=S seq=0\n"
                                      "+0 expect flags=SA seq=0 ack=1\n")),
                   0.0);  // an expected packet may come at once
  EXPECT_DOUBLE_EQ(idle_seconds(parse("test b\n+0 call listen\n+0.3 expect none within 0.5\n"
                                      "+0 wait 1.5\n+0 expect state LISTEN\n")),
                   2.3);
  EXPECT_DOUBLE_EQ(idle_seconds(parse("test c\n+0 call listen\n+0 expect none\n")), kDefaultWithin);
  EXPECT_DOUBLE_EQ(idle_seconds(parse("test d\n@0 call listen\n@4 expect state LISTEN\n")), 4.0);
  EXPECT_FALSE(is_waiting(parse("test e\n+0 call listen\n+0.1 expect state LISTEN\n")));
  EXPECT_TRUE(is_waiting(parse("test f\n+0 call listen\n+0 expect none within 0.5\n")));
  EXPECT_TRUE(is_waiting(parse("test g\ntier slow\n+0 call listen\n")));  // slow tier: always
}

TEST(Schedule, SlowTestsFirstLongestFirstThenFastInFileOrder) {
  std::vector<TestCase> tests = {make("f0", false, 0), make("s_short", true, 3), make("f1", false, 0),
                                 make("s_long", true, 60), make("f2", false, 0), make("s_mid", true, 10)};
  std::vector<size_t> order = schedule_order(tests, {0, 1, 2, 3, 4, 5});
  EXPECT_EQ(order, (std::vector<size_t>{3, 5, 1, 0, 2, 4}));
  // Only the indexes given take part.
  EXPECT_EQ(schedule_order(tests, {4, 1, 0}), (std::vector<size_t>{1, 4, 0}));
}

TEST(Schedule, FastTestsAreBoundedByJobs) {
  TestCase fast = make("f", false, 0);
  Slots slots(2, 8);
  EXPECT_TRUE(slots.take(0, fast));
  EXPECT_TRUE(slots.take(1, fast));
  EXPECT_FALSE(slots.fits(fast));
  EXPECT_FALSE(slots.take(2, fast));
  slots.release(0);
  EXPECT_TRUE(slots.take(2, fast));
  EXPECT_EQ(slots.jobs_in_use(), 2u);
  EXPECT_EQ(slots.waiting_in_use(), 0u);
}

TEST(Schedule, SlowTestsWaitBesideTheJobsThenTakeJobSlots) {
  TestCase slow = make("s", true, 5), fast = make("f", false, 0);
  Slots slots(1, 2);
  EXPECT_TRUE(slots.take(0, slow));
  EXPECT_TRUE(slots.take(1, slow));
  EXPECT_EQ(slots.waiting_in_use(), 2u);
  EXPECT_TRUE(slots.fits(fast));  // the job slot is still free
  EXPECT_TRUE(slots.take(2, slow));  // no waiting slot left: takes the job slot
  EXPECT_EQ(slots.jobs_in_use(), 1u);
  EXPECT_FALSE(slots.fits(fast));
  EXPECT_FALSE(slots.fits(slow));
  slots.release(2);  // gives back the job slot, not a waiting one
  EXPECT_EQ(slots.jobs_in_use(), 0u);
  EXPECT_EQ(slots.waiting_in_use(), 2u);
  slots.release(2);  // twice: nothing more
  EXPECT_EQ(slots.jobs_in_use(), 0u);
  slots.release(0);
  EXPECT_EQ(slots.waiting_in_use(), 1u);
}

TEST(Schedule, NoWaitingSlotsMeansStrictlyJobs) {
  TestCase slow = make("s", true, 5);
  Slots slots(1, 0);  // raw:IFACE: one test at a time, whatever its tier
  EXPECT_TRUE(slots.take(0, slow));
  EXPECT_FALSE(slots.take(1, slow));
}

TEST(Schedule, ZeroJobsStillRunsOne) {
  TestCase fast = make("f", false, 0);
  Slots slots(0, 0);
  EXPECT_TRUE(slots.take(0, fast));
  EXPECT_FALSE(slots.fits(fast));
}

}  // namespace
}  // namespace sp::harness
