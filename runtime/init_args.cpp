// The (argc, argv, envp) that initializers of loaded objects receive, in a
// static host.
//
// glibc calls every initializer of a dlopen()ed object with the program's
// (argc, argv, envp), and so does staticdl (registry.cpp, call_init): C
// constructors declared with those parameters, and Rust's std, which reads
// std::env::args() there, rely on it. A dynamically linked glibc host hands
// them to an .init_array entry (hybrid.cpp). musl calls .init_array entries
// without arguments, so a static host finds them where the kernel put them,
// at the top of the main thread's stack:
//
//   argc, argv[0] .. argv[argc-1], NULL, envp[0] .. , NULL, auxv pairs ..,
//   AT_NULL, padding, the 16 AT_RANDOM bytes, the argument and environment
//   strings
//
// Before main (the constructor below), `environ` is still that envp unless
// another constructor replaced it (setenv/putenv copy the array to the
// heap). So the array is accepted only when it lies between this frame and
// the AT_RANDOM bytes, and the auxiliary vector after its NULL holds this
// process's AT_RANDOM; every word read is then inside that stretch of stack.
// argc is the first word below argv[0] that equals the number of words
// between it and the NULL before envp (argv entries are pointers, never
// small numbers). When anything does not fit, initializers get 0, {NULL},
// environ, as before.
#include <elf.h>
#include <stdint.h>
#include <sys/auxv.h>
#include <unistd.h>

#include "registry.h"

namespace staticdl {

namespace {

// The words of [lo, hi) as an array, for bounded reads.
struct Stretch {
  uintptr_t lo, hi;
  bool holds(const void* p) const {
    uintptr_t a = reinterpret_cast<uintptr_t>(p);
    return a >= lo && a + sizeof(uintptr_t) <= hi;
  }
};

// The index of envp's NULL, or -1.
long environment_end(char** envp, const Stretch& s) {
  for (long n = 0; s.holds(envp + n); n++)
    if (!envp[n]) return n;
  return -1;
}

bool auxv_holds_random(const uintptr_t* aux, const Stretch& s, uintptr_t random) {
  for (; s.holds(aux + 1) && aux[0] != AT_NULL; aux += 2)
    if (aux[0] == AT_RANDOM) return aux[1] == random;
  return false;
}

__attribute__((noinline)) void capture_initial_args() {
  char** envp = environ;
  uintptr_t random = getauxval(AT_RANDOM);
  Stretch s{reinterpret_cast<uintptr_t>(__builtin_frame_address(0)), random};
  if (!random || !envp || !s.holds(envp - 1) || envp[-1]) return;  // envp[-1]: argv's NULL
  long n = environment_end(envp, s);
  if (n < 0 || !auxv_holds_random(reinterpret_cast<const uintptr_t*>(envp + n + 1), s, random)) return;
  for (uintptr_t c = 0; s.holds(envp - 2 - c); c++)
    if (reinterpret_cast<uintptr_t>(envp[-2 - static_cast<long>(c)]) == c) {
      set_init_args(static_cast<int>(c), envp - 1 - c, envp);
      return;
    }
}

__attribute__((constructor)) void capture_args_at_startup() { capture_initial_args(); }

}  // namespace

// Referenced from dlfcn.cpp, so that this archive member (and its
// constructor) is linked into every host that loads anything.
int g_init_args_linked = 0;

}  // namespace staticdl
