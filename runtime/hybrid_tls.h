// Hybrid mode: where a thread-local variable of ld.so's objects lives
// (hybrid_tls.cpp).
#pragma once

#include <stdint.h>

#include "host.h"

namespace staticdl {

// `addr` is the calling thread's instance of a TLS variable of one of
// ld.so's objects (from glibc's dlsym): fills out's type, value and
// tls_modid (loader/host.h: a static block as an offset in module 1, a
// dynamic one as glibc's module id and the offset in it). False when no
// object's block holds it.
bool system_tls_place(uintptr_t addr, HostSymbol* out);

// glibc's __tls_get_addr for (module id, offset): loader/tls.h's
// g_system_tls_get_addr in hybrid mode.
void* system_tls_get_addr(uint64_t modid, uint64_t offset);

}  // namespace staticdl
