#include "debug.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/auxv.h>
#include <time.h>
#include <unistd.h>

namespace staticdl {

bool g_force_secure_for_tests = false;

bool secure_mode() { return g_force_secure_for_tests || getauxval(AT_SECURE) != 0; }

const char* safe_getenv(const char* name) { return secure_mode() ? nullptr : getenv(name); }

uint64_t debug_clock_ns(DebugFlag f) {
  if (!debug_on(f)) return 0;
  timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return uint64_t(t.tv_sec) * 1000000000u + uint64_t(t.tv_nsec);
}

namespace {

struct Option {
  const char* name;
  uint32_t flags;
  const char* help;
};

const Option kOptions[] = {
    {"libs", DebugLibs, "display library search paths, loads and unloads"},
    {"symbols", DebugSymbols, "display symbol table processing"},
    {"bindings", DebugBindings, "display information about symbol binding"},
    {"reloc", DebugReloc, "display relocation processing"},
    {"statistics", DebugStatistics, "display relocation statistics"},
    {"all", ~0u & ~DebugSymbols, "all previous options combined (except symbols)"},
};

void print_help() {
  fputs("Valid options for the STATICDL_DEBUG environment variable are:\n\n", stderr);
  for (const Option& o : kOptions) fprintf(stderr, "  %-12s%s\n", o.name, o.help);
  fputs("  help        display this help message\n\n"
        "Options are separated by commas. The output goes to stderr, and the\n"
        "variable is ignored in secure (AT_SECURE) processes.\n",
        stderr);
}

uint32_t parse(const char* s) {
  uint32_t flags = 0;
  while (*s) {
    size_t n = strcspn(s, ", :");
    if (n == 4 && !strncmp(s, "help", 4)) print_help();
    for (const Option& o : kOptions)
      if (strlen(o.name) == n && !strncmp(s, o.name, n)) flags |= o.flags;
    s += n;
    while (*s == ',' || *s == ' ' || *s == ':') s++;
  }
  return flags;
}

}  // namespace

uint32_t g_debug_state = 0;

// A benign race parses twice with the same result.
uint32_t debug_flags_slow() {
  const char* e = safe_getenv("STATICDL_DEBUG");
  uint32_t v = (e ? parse(e) : 0) & ~kDebugParsed;
  __atomic_store_n(&g_debug_state, v | kDebugParsed, __ATOMIC_RELEASE);
  return v;
}

void debug_print(const char* fmt, ...) {
  char buf[1024];
  int n = snprintf(buf, sizeof buf, "staticdl: ");
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(buf + n, sizeof buf - n - 1, fmt, ap);
  va_end(ap);
  size_t len = strlen(buf);
  buf[len++] = '\n';
  // One write() per line so that lines from different threads do not mix.
  ssize_t r = write(2, buf, len);
  (void)r;
}

}  // namespace staticdl
