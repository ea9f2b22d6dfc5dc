// RTLD_LAZY: calls to functions that no loaded object defines yet.
//
// staticdl binds every PLT slot it can at dlopen time, whatever the mode.
// With RTLD_LAZY (and an object not linked -z now, and no bind-now
// environment variable) a PLT slot whose function is not defined anywhere
// yet no longer fails the dlopen: the slot is given back to the object's
// own lazy PLT path, which ends in staticdl_lazy_entry (runtime/<arch>/
// lazy_stub.S). The first call through it looks the function up again,
// now that later RTLD_GLOBAL objects may define it, patches the slot and
// continues into the function; if it is still undefined the process ends
// as glibc ends it: "<program>: symbol lookup error: <object>: undefined
// symbol: <name>" on stderr, exit status 127. What a user of glibc's lazy
// binding sees, without its cost at every first call of a function that
// was there all along. Data references (GLOB_DAT, ABS64) cannot wait, and
// fail the dlopen in either mode, as in glibc.
//
// Why not every slot, as glibc defers them: the first call looks the
// function up under the loader lock, which dlopen and dlclose hold while
// constructors and destructors run. A destructor that joins a worker
// thread making its first call to, say, pthread_cond_signal would then
// deadlock; glibc's _dl_fixup takes no lock (it reads scopes that dlclose
// frees only after every thread has left its lookups). Binding at dlopen
// what exists keeps first calls rare: only functions nothing defined then.
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

// Defers the PLT slot at p (relocation `index` of DT_JMPREL, against
// symbol `sym`) to its first call. False when m's PLT cannot take it (no
// DT_PLTGOT, GOT or slot not writable for good, a slot that does not lead
// into m's code): the caller then reports the undefined symbol.
bool lazy_defer(Module& m, uintptr_t p, uint32_t sym);

}  // namespace staticdl

// Called by staticdl_lazy_entry with GOT[1] and the index of the PLT
// relocation; returns the function's address, or ends the process.
extern "C" uintptr_t staticdl_lazy_fixup(staticdl::Module* m, uint64_t index);
