// STATICDL_DEBUG tracing, in the spirit of LD_DEBUG.
//
//   STATICDL_DEBUG=libs,symbols,bindings,reloc,statistics   (comma list)
//   STATICDL_DEBUG=all | help
// Output goes to stderr, each line prefixed "staticdl: ". The variable is
// ignored when AT_SECURE is set (setuid/setgid hosts).
#pragma once

#include <stdint.h>

namespace staticdl {

enum DebugFlag : uint32_t {
  DebugLibs = 1u << 0,        // search paths, files opened, loads and unloads
  DebugSymbols = 1u << 1,     // each symbol lookup and the scopes tried
  DebugBindings = 1u << 2,    // what each reference bound to
  DebugReloc = 1u << 3,       // relocation processing per object
  DebugStatistics = 1u << 4,  // relocation counts and times per dlopen
};

// True when AT_SECURE is set: environment variables are ignored.
bool secure_mode();
// Tests only: behave as if AT_SECURE were set.
extern bool g_force_secure_for_tests;

// The enabled flags (parsed from the environment once). Inline: it is
// consulted on every symbol reference.
extern uint32_t g_debug_state;  // flags | kDebugParsed once parsed
constexpr uint32_t kDebugParsed = 0x80000000u;
uint32_t debug_flags_slow();
inline uint32_t debug_flags() {
  uint32_t v = __atomic_load_n(&g_debug_state, __ATOMIC_ACQUIRE);
  return (v & kDebugParsed) ? (v & ~kDebugParsed) : debug_flags_slow();
}
inline bool debug_on(DebugFlag f) { return (debug_flags() & f) != 0; }

void debug_print(const char* fmt, ...) __attribute__((format(printf, 1, 2)));

// CLOCK_MONOTONIC in ns when `f` is enabled, else 0 (timings for statistics).
uint64_t debug_clock_ns(DebugFlag f);

// Reads an environment variable unless in secure mode.
const char* safe_getenv(const char* name);

#define debug(flag, ...)                                      \
  do {                                                        \
    if (::staticdl::debug_on(::staticdl::flag)) ::staticdl::debug_print(__VA_ARGS__); \
  } while (0)

}  // namespace staticdl
