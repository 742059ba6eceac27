// placeholder until the IR runtime tests land
#include <gtest/gtest.h>
