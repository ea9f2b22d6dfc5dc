// System-call wrappers with a fault-injection hook.
//
// Every allocation, mapping, protection change, open and read the loader
// makes goes through these wrappers. Normally they are the plain calls.
// Tests install a hook (staticdl_test_set_fault_hook in the public test
// header) that may make any call site fail, to prove that each failure
// yields a clean error with nothing leaked.
#pragma once

#include <stddef.h>
#include <sys/types.h>

namespace staticdl {

enum class FaultSite { Malloc, Mmap, Mprotect, Open, Read };

// Returns true when the call at `site` should fail.
using FaultHook = bool (*)(FaultSite site);
extern FaultHook g_fault_hook;

void* sd_malloc(size_t n);
void* sd_calloc(size_t n, size_t size);
void* sd_mmap(void* addr, size_t len, int prot, int flags, int fd, off_t off);
int sd_mprotect(void* addr, size_t len, int prot);
int sd_open(const char* path, int flags);
ssize_t sd_pread(int fd, void* buf, size_t n, off_t off);

}  // namespace staticdl
