// Calling initializers and finalizers: initfini.h.
#include "initfini.h"

#include "debug.h"
#include "dynamic.h"
#include "registry.h"

extern "C" char** environ;

namespace staticdl {

namespace {

using InitFn = void (*)(int, char**, char**);
using FiniFn = void (*)();

// What glibc passes to every initializer: (argc, argv, envp), envp being
// the environment as it is at the call (glibc passes __environ). Rust's std
// reads its arguments this way. Captured at startup by the runtime (a
// glibc host: hybrid.cpp; a static host: init_args.cpp); unknown: 0, {NULL}.
char* g_no_args[1] = {nullptr};
struct InitArgs {
  int argc = 0;
  char** argv = g_no_args;
} g_init_args;

// An array entry that may be called: not 0 or -1 (the old end markers), in the code.
bool callable(const Module& m, uintptr_t fn) { return fn && fn != ~uintptr_t(0) && in_exec_segment(m, fn); }

}  // namespace

void set_init_args(int argc, char** argv, char**) {
  if (argv) g_init_args = InitArgs{argc, argv};
}

void call_initializers(const Module& m) {
  debug(DebugLibs, "calling init: %s", m.name.c_str());
  InitArgs& ia = g_init_args;
  char** envp = environ;
  if (m.dyn.init) reinterpret_cast<InitFn>(m.dyn.init)(ia.argc, ia.argv, envp);
  const uintptr_t* a = reinterpret_cast<const uintptr_t*>(m.dyn.init_array);
  size_t n = m.dyn.init_arraysz / sizeof(uintptr_t);
  for (size_t i = 0; i < n; i++)
    if (callable(m, a[i])) reinterpret_cast<InitFn>(a[i])(ia.argc, ia.argv, envp);
}

void call_finalizers(const Module& m) {
  debug(DebugLibs, "calling fini: %s", m.name.c_str());
  const uintptr_t* a = reinterpret_cast<const uintptr_t*>(m.dyn.fini_array);
  for (size_t i = m.dyn.fini_arraysz / sizeof(uintptr_t); i-- > 0;)
    if (callable(m, a[i])) reinterpret_cast<FiniFn>(a[i])();
  if (m.dyn.fini) reinterpret_cast<FiniFn>(m.dyn.fini)();
}

}  // namespace staticdl
