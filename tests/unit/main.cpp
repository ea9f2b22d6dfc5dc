// The doctest runner for tests/unit/*.cpp (the only file that defines main).
#define DOCTEST_CONFIG_IMPLEMENT_WITH_MAIN
#include <doctest/doctest.h>
