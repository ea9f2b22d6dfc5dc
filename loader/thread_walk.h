// Enumerating the live threads of a static musl process.
//
// Installing a module into static TLS must reach every thread that exists
// and every thread created afterwards. musl offers no public interface for
// this, so this file leans on three internals of musl 1.2.x that a static
// link can reach (hidden symbols are still linkable inside one executable):
//   __inhibit_ptc / __release_ptc  a write lock that pthread_create holds
//                                  for reading from before it copies the
//                                  TLS template until the new thread is on
//                                  the thread list (musl's own dlopen uses
//                                  it for the same purpose);
//   __tl_lock / __tl_unlock        the thread-list lock;
//   struct pthread                 starts {self, [dtv,] prev, next}: the
//                                  list is circular through `next`.
// A thread's thread pointer is its struct pthread address plus a constant
// (0 on x86_64; sizeof(struct pthread) on aarch64), measured once on the
// calling thread. In a glibc process (hybrid mode, the sanitizer build)
// the other threads are reached through a signal (thread_walk.cpp).
#pragma once

#include <stdint.h>

namespace staticdl {

// The calling thread's thread pointer (unique among live threads).
inline uintptr_t thread_pointer() {
  uintptr_t tp;
#if defined(__x86_64__)
  __asm__("mov %%fs:0, %0" : "=r"(tp));
#elif defined(__aarch64__)
  __asm__("mrs %0, tpidr_el0" : "=r"(tp));
#else
#error "thread_pointer: unsupported architecture"
#endif
  return tp;
}

// Holds off thread creation, calls fn(tp, ctx) for each live thread,
// then writes `before_threads` first (the template), all atomically with
// respect to pthread_create.
struct ThreadVisit {
  void (*before_threads)(void* ctx);   // e.g. update the TLS template
  void (*each_thread)(uintptr_t tp, void* ctx);
  void* ctx;
};
void visit_all_threads(const ThreadVisit& v);

}  // namespace staticdl
