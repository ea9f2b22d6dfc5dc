// RTLD_LAZY: PLT slots bound at their first call, as glibc binds them.
//
// With RTLD_LAZY (and an object not linked -z now, no bind-now
// environment variable, and no relocation-cache file being written for it)
// every PLT slot is given back to the object's own lazy PLT path, which
// ends in staticdl_lazy_entry (runtime/<arch>/lazy_stub.S). The first call
// through it looks the function up in the scope as it is then (an
// RTLD_GLOBAL object loaded since comes before the caller's own
// dependencies, and stays loaded while the caller is), patches the slot and
// continues into the function. A function nothing defines then ends the
// process as glibc ends it: "<program>: symbol lookup error: <object>:
// undefined symbol: <name>" on stderr, exit status 127; the dlopen itself
// does not fail for it. Data references (GLOB_DAT, ABS64) cannot wait, and
// fail the dlopen in either mode, as in glibc.
//
// The lock. The lookup runs under the loader lock, which dlopen and dlclose
// hold while constructors and destructors run; glibc's _dl_fixup takes no
// lock. So that a destructor may wait for a thread making a first call
// (and a signal handler may make one inside a loader call), a first call
// that finds the lock taken, by any thread, this one too, does not wait:
// it binds to what the symbol resolved to at dlopen, which dlopen looked up
// for every slot (the object keeps that definer loaded, as for an eager
// binding). Only a function nothing defined at dlopen waits for the lock.
// glibc binds such a call in the scope of that moment; the difference
// shows only where an RTLD_GLOBAL object loaded since defines the function
// again (and when two threads make that first call at once, the slot may
// keep either binding).
#pragma once

#include <stdint.h>

#include "module.h"

namespace staticdl {

// Whether dlopen `flags` ask for lazy binding: RTLD_LAZY, unless the
// environment asks for eager binding (STATICDL_BIND_NOW in a static host,
// ld.so's LD_BIND_NOW in hybrid mode; any non-empty value, read once).
bool lazy_mode(int flags);

// Whether m's PLT slots may wait for their first call: loaded lazily, not
// linked -z now (DT_BIND_NOW, DF_BIND_NOW, DF_1_NOW), with RELA PLT
// relocations and not mapped from the relocation cache.
bool lazy_allowed(const Module& m);
// ... and also those a definition exists for now: not while its relocated
// pages are being stored in the relocation cache (GOT[1] is this
// process's), where only functions nothing defines yet are deferred.
bool lazy_all_allowed(const Module& m);

// Defers the PLT slot at p (entry `index` of DT_JMPREL, against symbol
// `sym`) to its first call; `bound` is the slot's value for what the
// symbol resolves to now (0: nothing defines it). False when m's PLT
// cannot take it (no DT_PLTGOT, GOT or slot not writable for good, a slot
// that does not lead into m's code, no memory): the caller then binds the
// slot now, or reports the undefined symbol.
bool lazy_defer(Module& m, uintptr_t p, uint32_t sym, uint64_t index, uintptr_t bound);

}  // namespace staticdl

// Called by staticdl_lazy_entry with GOT[1] and the index of the PLT
// relocation; returns the function's address, or ends the process.
extern "C" uintptr_t staticdl_lazy_fixup(staticdl::Module* m, uint64_t index);
