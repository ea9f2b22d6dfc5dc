// RTLD_LAZY's deferred PLT slots (lazy.h).
//
// ABI (System V psABI, "Procedure Linkage Table"; AArch64 ELF ABI, "PLT"):
// a lazily bindable object's .got.plt starts with three reserved words;
// the dynamic loader sets GOT[1] to a word identifying the object and
// GOT[2] to its resolver. Each JUMP_SLOT word initially holds, as a
// link-time address, the object's own lazy path for that slot:
//   x86_64   PLTn+6 (`push $n; jmp PLT0`), or the .plt entry under IBT;
//            PLT0 does `push GOT[1]; jmp *GOT[2]`, so the resolver finds
//            GOT[1] at (%rsp) and n, the index into DT_JMPREL, at 8(%rsp).
//   aarch64  PLT0, reached from PLTn with x16 = &GOT[n+3]; PLT0 pushes
//            {x16, x30} and jumps to GOT[2] with x16 = &GOT[2].
// A deferred slot therefore gets B + its file contents, and GOT[1..2] get
// the Module and staticdl_lazy_entry. Everything else about the call
// (saving argument registers, the vector state) is lazy_stub.S's.
//
// With lazy binding the linker keeps the JUMP_SLOT words out of
// PT_GNU_RELRO (GNU ld leaves GOT[0..2] in it: the loader writes them
// before RELRO is applied); a slot in RELRO was meant to be bound now and
// is not deferred (it could not be patched after apply_relro()).
#ifndef _GNU_SOURCE
#define _GNU_SOURCE 1  // program_invocation_name
#endif
#include "lazy.h"

#include <dlfcn.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "arch.h"
#include "debug.h"
#include "dynamic.h"
#include "host.h"
#include "lookup.h"
#include "range.h"
#include "registry.h"

extern "C" {
void staticdl_lazy_entry();
uint32_t staticdl_lazy_xsave_size = 0;  // read by runtime/x86_64/lazy_stub.S (0: FXSAVE)
}

namespace staticdl {

namespace {

// Read at the first dlopen. In hybrid mode (a system scope) ld.so's own
// variable, which ld.so also honours; in a static host staticdl's.
bool bind_now_env() {
  static int cached = -1;
  if (cached < 0) {
    const char* v = getenv(system_scope() ? "LD_BIND_NOW" : "STATICDL_BIND_NOW");  // stricter: AT_SECURE too
    cached = v && *v;
  }
  return cached != 0;
}

// [a, a+n) lies in one writable segment of m.
bool writable(const Module& m, uintptr_t a, uint64_t n) {
  for (const Segment& s : m.segments)
    if ((s.prot & PROT_WRITE) && range_contains(s.start, s.memsz, a, n)) return true;
  return false;
}

// ... and outside PT_GNU_RELRO: still writable after apply_relro().
bool writable_for_good(const Module& m, uintptr_t a, uint64_t n) {
  bool in_relro = m.relro_end > m.relro_start && a < m.relro_end && a + n > m.relro_start;
  return !in_relro && writable(m, a, n);
}

// GOT[1] and GOT[2], once per object. They are written before
// apply_relro(), and GNU ld puts them in PT_GNU_RELRO (only the slots
// after them stay writable).
bool prepare_got(Module& m) {
  if (m.lazy_got) return true;
  uintptr_t got = m.pltgot;
  if (!got || (got & 7) || !writable(m, got, 24)) return false;
  static bool sized = false;
  if (!sized) staticdl_lazy_xsave_size = (Arch::lazy_xsave_size() + 63) & ~63u, sized = true;
  reinterpret_cast<uintptr_t*>(got)[1] = reinterpret_cast<uintptr_t>(&m);
  reinterpret_cast<uintptr_t*>(got)[2] = reinterpret_cast<uintptr_t>(&staticdl_lazy_entry);
  return m.lazy_got = true;
}

// glibc's _dl_signal_error without a catcher: the message, then _exit(127).
[[noreturn]] void lookup_error(const char* text) {
  const char* prog = program_invocation_name ? program_invocation_name : "<program name unknown>";
  const char* parts[] = {prog, ": symbol lookup error: ", text, "\n"};
  for (const char* s : parts) {
    size_t n = strlen(s);
    while (n) {
      ssize_t w = write(2, s, n);
      if (w < 0 && errno == EINTR) continue;
      if (w <= 0) break;
      s += w, n -= static_cast<size_t>(w);
    }
  }
  _exit(127);
}

// m.lazy_bound[index] = bound, the table made at the first deferred slot.
bool record_bound(Module& m, uint64_t index, uintptr_t bound) {
  size_t n = m.dyn.pltrelsz / sizeof(Elf64_Rela);
  if (index >= n || (!m.lazy_bound && !m.lazy_bound.make(n))) return false;
  m.lazy_bound[index] = bound;
  return true;
}

// The DT_JMPREL entry `index` of m names a PLT slot that may be patched.
const Elf64_Rela* plt_entry(const Module& m, uint64_t index) {
  if (index >= m.dyn.pltrelsz / sizeof(Elf64_Rela)) return nullptr;
  const Elf64_Rela* r = reinterpret_cast<const Elf64_Rela*>(m.dyn.jmprel) + index;
  bool ok = ELF64_R_TYPE(r->r_info) == Arch::R_JUMP_SLOT && writable_for_good(m, m.bias + r->r_offset, 8);
  return ok ? r : nullptr;
}

uintptr_t patch(const Module& m, const Elf64_Rela& r, uintptr_t v) {
  __atomic_store_n(reinterpret_cast<uintptr_t*>(m.bias + r.r_offset), v, __ATOMIC_RELEASE);
  return v;
}

// With the loader lock held: glibc's _dl_fixup, the lookup in the scope as it is now.
uintptr_t fixup_locked(Module* m, uint64_t index) {
  const Elf64_Rela* r = is_loaded_module(m) && !is_host_handle(m) ? plt_entry(*m, index) : nullptr;
  if (!r) lookup_error("invalid lazy PLT call (corrupt GOT or PLT)");
  uint32_t sym = static_cast<uint32_t>(ELF64_R_SYM(r->r_info));
  Definition d;
  Status s = resolve_reference(*m, sym, &d);
  const SystemScope* sys = system_scope();  // hybrid mode: ld.so may have loaded it since
  if (!s && s.error().code() == Errc::Undefined && sys && sys->refresh && sys->refresh())
    s = resolve_reference(*m, sym, &d);
  if (!s) lookup_error(s.error().message());
  uintptr_t v = definition_address(d) + (Arch::kMachine == EM_X86_64 ? 0 : static_cast<uint64_t>(r->r_addend));
  const char* name = m->syms.name_of(sym);
  debug(DebugBindings, "file %s: %s bound at its first call", m->name.c_str(), name ? name : "?");
  return patch(*m, *r, v);
}

}  // namespace

bool lazy_mode(int flags) { return (flags & RTLD_LAZY) && !bind_now_env(); }

bool lazy_allowed(const Module& m) {
  const DynInfo& y = m.dyn;
  bool now = y.bind_now || (y.flags & DF_BIND_NOW) || (y.flags_1 & DF_1_NOW);
  return m.lazy && !now && y.pltrel == DT_RELA && !m.cache_mapped;
}

bool lazy_all_allowed(const Module& m) { return lazy_allowed(m) && !m.cache_store; }

bool lazy_defer(Module& m, uintptr_t p, uint32_t sym, uint64_t index, uintptr_t bound) {
  if (!lazy_allowed(m) || (p & 7) || !writable_for_good(m, p, 8) || sym >= m.syms.nsyms) return false;
  if (m.syms.syms[sym].st_other & Arch::kEagerOnlyOther) return false;  // aarch64 variant PCS: glibc binds it now
  uintptr_t lazy_path = m.bias + *reinterpret_cast<const uint64_t*>(p);
  if (!in_exec_segment(m, lazy_path) || !record_bound(m, index, bound) || !prepare_got(m)) return false;
  *reinterpret_cast<uintptr_t*>(p) = lazy_path;
  m.cache_store = false;  // GOT[1] is this process's Module
  const char* name = m.syms.name_of(sym);
  debug(DebugBindings, "file %s: %s deferred to its first call (RTLD_LAZY)", m.name.c_str(), name ? name : "?");
  return true;
}

}  // namespace staticdl

using namespace staticdl;

extern "C" uintptr_t staticdl_lazy_fixup(Module* m, uint64_t index) {
  if (g_loader_lock.try_lock_free()) {
    uintptr_t v = fixup_locked(m, index);
    unlock_loader();
    return v;
  }
  // A loader call is under way, in another thread or in this one: what the
  // slot bound to at dlopen, without waiting (lazy.h).
  uintptr_t v = m->lazy_bound && index < m->dyn.pltrelsz / sizeof(Elf64_Rela) ? m->lazy_bound[index] : 0;
  const Elf64_Rela* r = v ? plt_entry(*m, index) : nullptr;
  if (r) return patch(*m, *r, v);
  LoaderLock lock;  // nothing defined it at dlopen: look again, once the loader is free
  return fixup_locked(m, index);
}
