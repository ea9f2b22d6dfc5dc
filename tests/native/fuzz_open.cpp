// native.fuzz_smoke: libFuzzer on the open-from-memory path.
//
// Each input is an ELF image handed to open_object as OpenRequest{mem, size}:
// read, validated, mapped, its dependencies searched, relocated against the
// fixed test host scope, looked up in, and closed. No code of the input may
// run: with STATICDL_HAVE_NO_INIT (OpenRequest::run_init exists) the request
// says run_init = false, so the loader calls neither its initializers nor
// its IFUNC resolvers; without it, inputs that could make the loader run
// their code are skipped (see may_run_code). Every open() of a file fails
// through the fault hook, so a DT_NEEDED path in an input can never make the
// loader read a device or a FIFO: dependencies end in a clean error.
#include <elf.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "native_common.h"

using namespace native;

namespace {

bool fail_opens(staticdl::FaultSite s) { return s == staticdl::FaultSite::Open; }

#ifndef STATICDL_HAVE_NO_INIT
// Conservative: true unless the image plainly has no initializers,
// finalizers, IRELATIVE relocations or IFUNC symbols. Anything it cannot
// parse counts as "may run code" and is skipped.
bool in_file(size_t size, uint64_t off, uint64_t len) { return off <= size && len <= size - off; }

bool vaddr_to_off(const uint8_t* d, size_t size, const Elf64_Ehdr& eh, uint64_t va, uint64_t* off) {
  for (unsigned i = 0; i < eh.e_phnum; i++) {
    Elf64_Phdr ph;
    memcpy(&ph, d + eh.e_phoff + i * sizeof ph, sizeof ph);
    if (ph.p_type == PT_LOAD && va >= ph.p_vaddr && va - ph.p_vaddr < ph.p_filesz) {
      *off = ph.p_offset + (va - ph.p_vaddr);
      return *off < size;
    }
  }
  return false;
}

bool may_run_code(const uint8_t* d, size_t size) {
  Elf64_Ehdr eh;
  if (size < sizeof eh) return false;  // rejected before any mapping
  memcpy(&eh, d, sizeof eh);
  if (eh.e_phentsize != sizeof(Elf64_Phdr) || !in_file(size, eh.e_phoff, uint64_t(eh.e_phnum) * sizeof(Elf64_Phdr)))
    return false;  // rejected by the header checks
  uint64_t rela[2] = {0, 0}, relasz[2] = {0, 0}, symtab = 0, strtab = 0;
  for (unsigned i = 0; i < eh.e_phnum; i++) {
    Elf64_Phdr ph;
    memcpy(&ph, d + eh.e_phoff + i * sizeof ph, sizeof ph);
    if (ph.p_type != PT_DYNAMIC) continue;
    if (!in_file(size, ph.p_offset, ph.p_filesz)) return true;
    for (uint64_t o = ph.p_offset; o + sizeof(Elf64_Dyn) <= ph.p_offset + ph.p_filesz; o += sizeof(Elf64_Dyn)) {
      Elf64_Dyn dyn;
      memcpy(&dyn, d + o, sizeof dyn);
      switch (dyn.d_tag) {
        case DT_INIT: case DT_INIT_ARRAY: case DT_PREINIT_ARRAY: case DT_FINI: case DT_FINI_ARRAY: return true;
        case DT_RELA: rela[0] = dyn.d_un.d_ptr; break;
        case DT_RELASZ: relasz[0] = dyn.d_un.d_val; break;
        case DT_JMPREL: rela[1] = dyn.d_un.d_ptr; break;
        case DT_PLTRELSZ: relasz[1] = dyn.d_un.d_val; break;
        case DT_SYMTAB: symtab = dyn.d_un.d_ptr; break;
        case DT_STRTAB: strtab = dyn.d_un.d_ptr; break;
        default: break;
      }
    }
  }
  for (int t = 0; t < 2; t++) {
    uint64_t off;
    if (!relasz[t]) continue;
    if (!vaddr_to_off(d, size, eh, rela[t], &off) || !in_file(size, off, relasz[t])) return true;
    for (uint64_t o = off; o + sizeof(Elf64_Rela) <= off + relasz[t]; o += sizeof(Elf64_Rela)) {
      Elf64_Rela r;
      memcpy(&r, d + o, sizeof r);
      if (ELF64_R_TYPE(r.r_info) == R_X86_64_IRELATIVE) return true;
    }
  }
  if (symtab) {  // symbols up to the string table (or the end of the file)
    uint64_t so, eo = size;
    if (!vaddr_to_off(d, size, eh, symtab, &so)) return true;
    uint64_t st;
    if (strtab && vaddr_to_off(d, size, eh, strtab, &st) && st > so) eo = st;
    for (uint64_t o = so; o + sizeof(Elf64_Sym) <= eo; o += sizeof(Elf64_Sym)) {
      Elf64_Sym s;
      memcpy(&s, d + o, sizeof s);
      if (ELF64_ST_TYPE(s.st_info) == STT_GNU_IFUNC) return true;
    }
  }
  return false;
}
#endif

}  // namespace

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  setup_host_scope();
  staticdl::g_fault_hook = fail_opens;
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
#ifndef STATICDL_HAVE_NO_INIT
  if (may_run_code(data, size)) return 0;
#endif
  staticdl::OpenRequest req;
  req.mem = data;
  req.size = size;
  req.name = "fuzz-input.so";
  // The size picks the mode: RTLD_GLOBAL, RTLD_LAZY (PLT slots of undefined
  // functions deferred, lazy.cpp) and RTLD_DEEPBIND each in half the inputs.
  req.flags = ((size & 1) ? RTLD_GLOBAL : 0) | ((size & 2) ? RTLD_LAZY : RTLD_NOW) |
              ((size & 4) ? staticdl::kRtldDeepbind : 0);
#ifdef STATICDL_HAVE_NO_INIT
  req.run_init = false;
#endif
  staticdl::LoaderLock lock;
  staticdl::Expected<staticdl::Module*> m = staticdl::open_object(req, nullptr);
  if (!m) {
    // Every failure is a clean Error with a message.
    if (m.error().code() == staticdl::Errc::None || !m.error().message()[0]) __builtin_trap();
    return 0;
  }
  if (!*m) return 0;
  // Lookups through the input's symbol, hash and version tables; the
  // addresses are never called (an IFUNC definition is not resolved).
  static const char* const kNames[] = {"hostcall_run", "chain_a", "vfoo", "ifunc_sum", "x", "_init"};
  static const char* const kVersions[] = {nullptr, "V1", "V2"};
  for (const char* n : kNames)
    for (const char* v : kVersions) {
      staticdl::SymName sn(n);
      staticdl::VersionReq vr;
      if (v) vr.name = v, vr.hash = staticdl::elf_hash(v);
      staticdl::Definition d;
      (void)staticdl::lookup_in_handle(*m, sn, vr, &d);
    }
  (void)staticdl::module_containing(reinterpret_cast<uintptr_t>(data));
  staticdl::Status s = staticdl::close_object(*m);
  if (!s) __builtin_trap();
  return 0;
}
