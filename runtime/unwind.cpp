// Making every unwinder a host may contain find plugin frames.
//
// This file holds all the unwinder differences:
//   - LLVM libunwind (zig hosts, Debian libunwind-*-dev) finds FDEs with
//     dl_iterate_phdr and PT_GNU_EH_FRAME; introspect.cpp reports plugins
//     there, so nothing more is needed.
//   - libgcc_eh from gcc 12 (musl-gcc hosts) asks glibc's
//     _dl_find_object(pc) for the object's PT_GNU_EH_FRAME; it is defined
//     below for the host and every plugin. (Such hosts also need
//     -Wl,--eh-frame-hdr, which gcc's -static leaves out.)
//   - Older libgcc unwinders only search frames registered with
//     __register_frame_info; when the host has that function (weakly
//     referenced here, so a C host does not pull an unwinder in) each
//     plugin's .eh_frame is registered at load and deregistered at unload.
//     LLVM libunwind's __register_frame_info is an empty compatibility stub,
//     so calling it there is harmless.
//   - Hybrid mode (a dynamically linked glibc host): the process's unwinder
//     is libgcc_s.so.1, whose _Unwind_Find_FDE searches registered frames
//     before asking glibc's _dl_find_object (which knows nothing of
//     staticdl's modules). Every module is registered with the libgcc_s
//     the system loader has loaded; hybrid.cpp makes sure there is one.
//     staticdl_dl_find_object answers for staticdl's modules and passes
//     other addresses on to glibc's.
#include <dlfcn.h>
#include <string.h>

#include "dynamic.h"
#include "host.h"
#include "registry.h"
#include "runtime.h"

extern "C" {
void __register_frame_info(const void* begin, void* object) __attribute__((weak));
void* __deregister_frame_info(const void* begin) __attribute__((weak));

#if !defined(DLFO_STRUCT_HAS_EH_DBASE)
// glibc's <dlfcn.h> layout for x86_64 and aarch64 (no eh_dbase/eh_count).
struct dl_find_object {
  unsigned long long dlfo_flags;
  void* dlfo_map_start;
  void* dlfo_map_end;
  struct link_map* dlfo_link_map;
  void* dlfo_eh_frame;
  unsigned long long dlfo_reserved[7];
};
#endif
}

namespace staticdl {

namespace {

// Reads a DW_EH_PE-encoded pointer at p (only the encodings that
// .eh_frame_hdr's eh_frame_ptr uses in practice).
bool read_encoded(const uint8_t* p, uint8_t enc, uintptr_t* out) {
  uintptr_t base = (enc & 0x70) == 0x10 ? reinterpret_cast<uintptr_t>(p) : 0;  // DW_EH_PE_pcrel
  switch (enc & 0x0f) {
    case 0x00: { uintptr_t v; memcpy(&v, p, 8); *out = base + v; return true; }          // absptr
    case 0x0b: { int32_t v; memcpy(&v, p, 4); *out = base + static_cast<intptr_t>(v); return true; }  // sdata4
    case 0x03: { uint32_t v; memcpy(&v, p, 4); *out = base + v; return true; }           // udata4
    case 0x0c: { int64_t v; memcpy(&v, p, 8); *out = base + static_cast<uintptr_t>(v); return true; }  // sdata8
    default: return false;
  }
}

const Elf64_Phdr* find_phdr(const Module& m, uint32_t type) {
  for (const Elf64_Phdr& ph : m.phdrs)
    if (ph.p_type == type) return &ph;
  return nullptr;
}

// The start of m's .eh_frame, from its .eh_frame_hdr; 0 if unusable.
uintptr_t eh_frame_start(const Module& m) {
  const Elf64_Phdr* ph = find_phdr(m, PT_GNU_EH_FRAME);
  if (!ph || ph->p_memsz < 12 || !in_segments(m, m.bias + ph->p_vaddr, ph->p_memsz)) return 0;
  const uint8_t* hdr = reinterpret_cast<const uint8_t*>(m.bias + ph->p_vaddr);
  uintptr_t start;
  if (hdr[0] != 1 || !read_encoded(hdr + 4, hdr[1], &start)) return 0;
  return in_segments(m, start, 4) ? start : 0;
}

using RegisterFn = void (*)(const void*, void*);
using DeregisterFn = void* (*)(const void*);
RegisterFn g_register = nullptr;
DeregisterFn g_deregister = nullptr;

void on_loaded(Module& m) {
  if (!g_register) return;
  m.eh_frame = eh_frame_start(m);
  if (m.eh_frame) g_register(reinterpret_cast<const void*>(m.eh_frame), m.unwind_object);
}

void on_unloading(Module& m) {
  if (m.eh_frame && g_deregister) g_deregister(reinterpret_cast<const void*>(m.eh_frame));
  m.eh_frame = 0;
}

#if !STATICDL_HYBRID
bool host_object(uintptr_t pc, dl_find_object* r) {
  const HostInfo& h = host_layout();
  uintptr_t lo = UINTPTR_MAX, hi = 0, eh = 0;
  for (uint16_t i = 0; i < h.phnum; i++) {
    const Elf64_Phdr& ph = h.phdr[i];
    if (ph.p_type == PT_LOAD) {
      if (h.bias + ph.p_vaddr < lo) lo = h.bias + ph.p_vaddr;
      if (h.bias + ph.p_vaddr + ph.p_memsz > hi) hi = h.bias + ph.p_vaddr + ph.p_memsz;
    } else if (ph.p_type == PT_GNU_EH_FRAME) {
      eh = h.bias + ph.p_vaddr;
    }
  }
  if (pc < lo || pc >= hi) return false;
  r->dlfo_map_start = reinterpret_cast<void*>(lo);
  r->dlfo_map_end = reinterpret_cast<void*>(hi);
  r->dlfo_link_map = &host_handle()->lm;
  r->dlfo_eh_frame = reinterpret_cast<void*>(eh);
  return true;
}
#endif

}  // namespace

void install_unwind_hooks() {
#if STATICDL_HYBRID
  // The process's libgcc_s, whatever the executable links.
  g_register = reinterpret_cast<RegisterFn>(dlsym(RTLD_DEFAULT, "__register_frame_info"));
  g_deregister = reinterpret_cast<DeregisterFn>(dlsym(RTLD_DEFAULT, "__deregister_frame_info"));
  if (!g_register || !g_deregister) g_register = nullptr, g_deregister = nullptr;
#else
  g_register = __register_frame_info;
  g_deregister = __deregister_frame_info;
#endif
  set_module_hooks(on_loaded, on_unloading);
}

}  // namespace staticdl

using namespace staticdl;

extern "C" int staticdl_dl_find_object(void* pc, struct dl_find_object* r) {
  uintptr_t a = reinterpret_cast<uintptr_t>(pc);
  memset(r, 0, sizeof *r);
  LoaderLock lock;
  if (Module* m = module_containing(a)) {
    const Elf64_Phdr* eh = find_phdr(*m, PT_GNU_EH_FRAME);
    r->dlfo_map_start = m->image.data();
    r->dlfo_map_end = m->image.data() + m->image.size();
    r->dlfo_link_map = &m->lm;
    r->dlfo_eh_frame = eh ? reinterpret_cast<void*>(m->bias + eh->p_vaddr) : nullptr;
    return 0;
  }
#if STATICDL_HYBRID
  return _dl_find_object(pc, r);  // glibc's, for the objects it loaded
#else
  return host_object(a, r) ? 0 : -1;
#endif
}

#if !STATICDL_HYBRID
extern "C" __typeof__(staticdl_dl_find_object) _dl_find_object __attribute__((alias("staticdl_dl_find_object")));
#endif
