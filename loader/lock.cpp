// The contended half of RecursiveLock (lock.h): sleeping on the futex word.
#include "lock.h"

#include <errno.h>
#include <linux/futex.h>
#include <sys/syscall.h>
#include <unistd.h>

namespace staticdl {

// errno is kept: the lock is taken inside calls that must not change it
// (the unwinder's _dl_find_object, __cxa_atexit), as a pthread mutex does.
void RecursiveLock::wait() {
  int saved = errno;
  // Mark the lock contended (2) before sleeping, so that the holder's
  // unlock wakes someone; retry until the exchange finds it free.
  while (__atomic_exchange_n(&state_, 2, __ATOMIC_ACQUIRE) != 0)
    syscall(SYS_futex, &state_, FUTEX_WAIT_PRIVATE, 2, nullptr, nullptr, 0);  // EAGAIN/EINTR: retry
  errno = saved;
}

void RecursiveLock::wake() {
  int saved = errno;
  syscall(SYS_futex, &state_, FUTEX_WAKE_PRIVATE, 1, nullptr, nullptr, 0);
  errno = saved;
}

}  // namespace staticdl
