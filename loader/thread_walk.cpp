#include "thread_walk.h"

#include <pthread.h>

#if !defined(__GLIBC__)
extern "C" {
// musl internals (see thread_walk.h). __inhibit_ptc is referenced strongly
// so that lock_ptc.o, which makes pthread_create honour it, is linked.
void __inhibit_ptc(void);
void __release_ptc(void);
void __tl_lock(void) __attribute__((weak));
void __tl_unlock(void) __attribute__((weak));
}
#endif

namespace staticdl {

uintptr_t thread_pointer() {
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

#if !defined(__GLIBC__)
namespace {

// Offset of `next` in musl's struct pthread: {self, dtv, prev, next} on
// TLS variant II (x86_64), {self, prev, next} on variant I (aarch64).
#if defined(__x86_64__)
constexpr uintptr_t kNextOffset = 3 * sizeof(void*);
#else
constexpr uintptr_t kNextOffset = 2 * sizeof(void*);
#endif

uintptr_t next_thread(uintptr_t self) { return *reinterpret_cast<uintptr_t*>(self + kNextOffset); }

}  // namespace

void visit_all_threads(const ThreadVisit& v) {
  uintptr_t self = reinterpret_cast<uintptr_t>(pthread_self());
  uintptr_t delta = thread_pointer() - self;
  __inhibit_ptc();
  if (v.before_threads) v.before_threads(v.ctx);
  if (__tl_lock) __tl_lock();
  uintptr_t t = self;
  do {
    v.each_thread(t + delta, v.ctx);
    t = next_thread(t);
  } while (t && t != self);
  if (__tl_unlock) __tl_unlock();
  __release_ptc();
}

#else

void visit_all_threads(const ThreadVisit& v) {
  if (v.before_threads) v.before_threads(v.ctx);
  v.each_thread(thread_pointer(), v.ctx);
}

#endif

}  // namespace staticdl
