/* STB_GNU_UNIQUE: two RTLD_LOCAL modules with the same inline-function
 * static and template static member (fixtures/hy_unique.cpp built twice).
 * glibc binds both modules to the first definition it loaded, so the
 * addresses are equal and a bump through one is seen through the other. */
#include "common.h"

typedef int* (*addr_fn)(void);
typedef int (*bump_fn)(void);

int main(int argc, char** argv) {
  if (argc < 2) return 2;
  void* a = open_or_die(argv[1], "libhy_unique_a.so", RTLD_NOW | RTLD_LOCAL);
  void* b = open_or_die(argv[1], "libhy_unique_b.so", RTLD_NOW | RTLD_LOCAL);
  int* ca = ((addr_fn)sym_or_die(a, "unique_counter"))();
  int* cb = ((addr_fn)sym_or_die(b, "unique_counter"))();
  int* ta = ((addr_fn)sym_or_die(a, "unique_template"))();
  int* tb = ((addr_fn)sym_or_die(b, "unique_template"))();
  printf("inline function static: %s\n", ca == cb ? "one object" : "two objects");
  printf("template static member: %s\n", ta == tb ? "one object" : "two objects");
  int ra = ((bump_fn)sym_or_die(a, "unique_bump"))();
  int rb = ((bump_fn)sym_or_die(b, "unique_bump"))();
  printf("bump through a: %d, through b: %d; counters a %d b %d\n", ra, rb, *ca, *cb);
  /* The object is a's (loaded first): b's dladdr names libhy_unique_a.so. */
  Dl_info info;
  printf("b's counter lives in: %s\n", DL_ADDR(cb, &info) ? base_name(info.dli_fname) : "(unknown)");
  DL_CLOSE(b);
  DL_CLOSE(a);
  return 0;
}
