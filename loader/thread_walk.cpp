#include "thread_walk.h"

#include <pthread.h>

#if defined(__GLIBC__)
#include <dirent.h>
#include <errno.h>
#include <semaphore.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include "debug.h"
#endif

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

// glibc (hybrid mode): its thread list is private to libc, so each other
// thread runs each_thread itself, in a handler for a signal sent with
// tgkill to every task in /proc/self/task. The handler only copies memory
// (async-signal-safe) and posts a semaphore. The template is written
// first, so a thread created meanwhile gets the image from it (and maybe
// once more from the handler: harmless, no code of the module has run).
// A thread that blocks the signal is not reached within the timeout; its
// block keeps zeros (debug output says so).
namespace {

const ThreadVisit* g_visit = nullptr;
sem_t g_done;

void on_signal(int) {
  int saved = errno;
  g_visit->each_thread(thread_pointer(), g_visit->ctx);
  sem_post(&g_done);
  errno = saved;
}

// Signals every other thread; returns how many were signalled.
int signal_others(int sig) {
  DIR* d = opendir("/proc/self/task");
  if (!d) return 0;
  pid_t self = static_cast<pid_t>(syscall(SYS_gettid)), pid = getpid();
  int n = 0;
  while (struct dirent* e = readdir(d)) {
    pid_t tid = static_cast<pid_t>(atoi(e->d_name));
    if (tid > 0 && tid != self && syscall(SYS_tgkill, pid, tid, sig) == 0) n++;
  }
  closedir(d);
  return n;
}

}  // namespace

void visit_all_threads(const ThreadVisit& v) {
  if (v.before_threads) v.before_threads(v.ctx);
  v.each_thread(thread_pointer(), v.ctx);
  const int sig = SIGRTMAX - 3;  // glibc keeps SIGRTMIN-2..SIGRTMIN-1 for itself
  struct sigaction sa, old;
  memset(&sa, 0, sizeof sa);
  sa.sa_handler = on_signal;
  sa.sa_flags = SA_RESTART;
  sigfillset(&sa.sa_mask);
  g_visit = &v;
  if (sem_init(&g_done, 0, 0) != 0) return;
  if (sigaction(sig, &sa, &old) == 0) {
    int pending = signal_others(sig);
    struct timespec until;
    clock_gettime(CLOCK_REALTIME, &until);
    until.tv_sec += 2;
    while (pending > 0 && (sem_timedwait(&g_done, &until) == 0 || errno == EINTR)) pending--;
    if (pending > 0) debug(DebugLibs, "static TLS: %d thread(s) did not take the image", pending);
    sigaction(sig, &old, nullptr);
  }
  sem_destroy(&g_done);
  g_visit = nullptr;
}

#endif

}  // namespace staticdl
