// The loader lock: recursive, so that constructors, destructors and IFUNC
// resolvers may call dlopen/dlsym/dlclose from inside a loader call.
//
// pthread's recursive mutex costs about 140 instructions per lock/unlock
// pair in musl (70 in glibc), more than a whole dlsym of a short name. This
// one is a futex word plus an owner:
//   state   0 free, 1 held, 2 held and some thread may sleep in futex_wait
//           (Drepper, "Futexes Are Tricky", mutex 3)
//   owner   thread_pointer() of the holder, 0 when free; only the holder
//           writes it, so a thread that reads its own id holds the lock
//   depth   recursion count, touched by the holder only
// Uncontended: one CAS to take it, one exchange to release it.
#pragma once

#include <stdint.h>

#include "thread_walk.h"

namespace staticdl {

class RecursiveLock {
 public:
  constexpr RecursiveLock() = default;
  RecursiveLock(const RecursiveLock&) = delete;
  RecursiveLock& operator=(const RecursiveLock&) = delete;

  void lock() {
    uintptr_t self = thread_pointer();
    if (__atomic_load_n(&owner_, __ATOMIC_RELAXED) == self) {
      depth_++;
      return;
    }
    int expected = 0;
    if (!__atomic_compare_exchange_n(&state_, &expected, 1, false, __ATOMIC_ACQUIRE, __ATOMIC_RELAXED)) wait();
    __atomic_store_n(&owner_, self, __ATOMIC_RELAXED);
    depth_ = 1;
  }

  // Takes the lock only when no thread holds it, this one included.
  bool try_lock_free() {
    int expected = 0;
    if (!__atomic_compare_exchange_n(&state_, &expected, 1, false, __ATOMIC_ACQUIRE, __ATOMIC_RELAXED)) return false;
    __atomic_store_n(&owner_, thread_pointer(), __ATOMIC_RELAXED);
    depth_ = 1;
    return true;
  }

  void unlock() {
    if (--depth_ != 0) return;
    __atomic_store_n(&owner_, uintptr_t(0), __ATOMIC_RELAXED);
    if (__atomic_exchange_n(&state_, 0, __ATOMIC_RELEASE) == 2) wake();
  }

 private:
  void wait();  // lock.cpp: the contended path
  void wake();

  int state_ = 0;
  uintptr_t owner_ = 0;
  unsigned depth_ = 0;
};

}  // namespace staticdl
