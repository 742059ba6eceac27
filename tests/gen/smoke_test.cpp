#include <gtest/gtest.h>
TEST(GenSmoke, Builds) { SUCCEED(); }
