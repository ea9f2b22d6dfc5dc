// Unit tests for loader/range.h: overflow-safe range arithmetic.
#include <doctest/doctest.h>
#include <stdint.h>

#include "range.h"

using namespace staticdl;

TEST_CASE("range.add_mul") {
  uint64_t r = 0;
  CHECK(add_ok(1, 2, &r));
  CHECK(r == 3);
  CHECK(add_ok(UINT64_MAX - 1, 1, &r));
  CHECK(r == UINT64_MAX);
  CHECK_FALSE(add_ok(UINT64_MAX, 1, &r));
  CHECK_FALSE(add_ok(UINT64_MAX / 2 + 1, UINT64_MAX / 2 + 1, &r));
  CHECK(mul_ok(0, UINT64_MAX, &r));
  CHECK(r == 0);
  CHECK(mul_ok(UINT64_MAX, 1, &r));
  CHECK_FALSE(mul_ok(UINT64_MAX / 2 + 1, 2, &r));
  CHECK_FALSE(mul_ok(uint64_t(1) << 32, uint64_t(1) << 32, &r));
}

TEST_CASE("range.range_within") {
  CHECK(range_within(0, 0, 0));
  CHECK(range_within(0, 10, 10));
  CHECK(range_within(10, 0, 10));  // empty range at the end
  CHECK_FALSE(range_within(11, 0, 10));
  CHECK_FALSE(range_within(1, 10, 10));
  CHECK_FALSE(range_within(UINT64_MAX, 2, UINT64_MAX));  // off + size wraps to 1
  CHECK_FALSE(range_within(2, UINT64_MAX, 100));
  CHECK(range_within(UINT64_MAX - 1, 1, UINT64_MAX));
}

TEST_CASE("range.array_within") {
  CHECK(array_within(8, 4, 24, 8 + 96));
  CHECK_FALSE(array_within(8, 4, 24, 8 + 95));
  CHECK(array_within(100, 0, 24, 100));
  // count * elem wraps to a small number: must be rejected.
  CHECK_FALSE(array_within(0, (UINT64_MAX / 24) + 2, 24, 1000));
  CHECK_FALSE(array_within(0, uint64_t(1) << 63, 2, 1000));  // == 0 mod 2^64
  CHECK_FALSE(array_within(UINT64_MAX - 8, 1, 24, UINT64_MAX));
}

TEST_CASE("range.range_contains") {
  CHECK(range_contains(100, 50, 100, 50));
  CHECK(range_contains(100, 50, 120, 10));
  CHECK(range_contains(100, 50, 150, 0));
  CHECK_FALSE(range_contains(100, 50, 99, 2));
  CHECK_FALSE(range_contains(100, 50, 149, 2));
  CHECK_FALSE(range_contains(100, 50, 120, UINT64_MAX));           // b + bn wraps
  CHECK_FALSE(range_contains(UINT64_MAX - 10, 20, UINT64_MAX, 1));  // a + an wraps
  CHECK(range_contains(0, UINT64_MAX, 5, 5));
}

TEST_CASE("range.pages") {
  CHECK(page_down(0x12345, 0x1000) == 0x12000);
  CHECK(page_down(0x12000, 0x1000) == 0x12000);
  CHECK(page_down(0x12345, 0x10000) == 0x10000);
  uint64_t r = 0;
  CHECK(page_up(0x12001, 0x1000, &r));
  CHECK(r == 0x13000);
  CHECK(page_up(0x12000, 0x1000, &r));
  CHECK(r == 0x12000);
  CHECK(page_up(0, 0x1000, &r));
  CHECK(r == 0);
  CHECK_FALSE(page_up(UINT64_MAX, 0x1000, &r));
  CHECK_FALSE(page_up(UINT64_MAX - 0xffe, 0x1000, &r));  // + 0xfff wraps
  CHECK(page_up(UINT64_MAX - 0xfff, 0x1000, &r));     // exactly the last page
  CHECK(r == UINT64_MAX - 0xfff);
  CHECK(is_pow2(1));
  CHECK(is_pow2(0x1000));
  CHECK(is_pow2(uint64_t(1) << 63));
  CHECK_FALSE(is_pow2(0));
  CHECK_FALSE(is_pow2(3));
  CHECK_FALSE(is_pow2(0x1001));
}
