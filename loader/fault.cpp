#include "fault.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <unistd.h>

namespace staticdl {

FaultHook g_fault_hook = nullptr;

static bool inject(FaultSite s) {
  FaultHook h = __atomic_load_n(&g_fault_hook, __ATOMIC_RELAXED);
  return h && h(s);
}

void* sd_malloc(size_t n) { return inject(FaultSite::Malloc) ? nullptr : malloc(n ? n : 1); }

void* sd_calloc(size_t n, size_t size) { return inject(FaultSite::Malloc) ? nullptr : calloc(n ? n : 1, size ? size : 1); }

void* sd_mmap(void* addr, size_t len, int prot, int flags, int fd, off_t off) {
  if (inject(FaultSite::Mmap)) return errno = ENOMEM, MAP_FAILED;
  return mmap(addr, len, prot, flags, fd, off);
}

int sd_mprotect(void* addr, size_t len, int prot) {
  if (inject(FaultSite::Mprotect)) return errno = ENOMEM, -1;
  return mprotect(addr, len, prot);
}

// The system call itself: musl's open() follows an O_CLOEXEC open with an
// fcntl(F_SETFD) for kernels older than 2.6.23, one system call per file.
int sd_open(const char* path, int flags) {
  if (inject(FaultSite::Open)) return errno = EMFILE, -1;
  return static_cast<int>(syscall(SYS_openat, AT_FDCWD, path, flags | O_CLOEXEC));
}

ssize_t sd_pread(int fd, void* buf, size_t n, off_t off) {
  if (inject(FaultSite::Read)) return errno = EIO, -1;
  ssize_t r;
  do r = pread(fd, buf, n, off);
  while (r < 0 && errno == EINTR);
  return r;
}

}  // namespace staticdl
