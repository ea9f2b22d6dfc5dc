// Hybrid mode: thread-local variables of the objects ld.so loaded, as
// staticdl's plugins refer to them (loader/host.h, HostSymbol::tls_modid).
//
// glibc gives the objects it loads at startup static TLS: each one's block
// sits at the same offset from the thread pointer in every thread, inside
// the static TLS area, which on x86_64 (TLS variant II) is the `size` bytes
// below the thread pointer and on aarch64 (variant I) the bytes above it
// (`size` from ld.so's _dl_get_tls_static_info, GLIBC_PRIVATE, the function
// glibc's own libpthread asks). An object glibc dlopen()s later normally
// gets dynamic TLS instead: glibc's __tls_get_addr allocates its block in
// each thread on the first access. So for a variable of ld.so's objects,
// staticdl takes the calling thread's instance from glibc (dlsym), finds
// the object whose block holds it (dl_iterate_phdr's dlpi_tls_modid and
// dlpi_tls_data) and records glibc's module id and the offset; a static
// block also gets the offset from staticdl's module 1 (the executable's
// block), which initial-exec accesses and the fast paths use as before. A
// dynamic one is reached through glibc's __tls_get_addr, from staticdl's
// resolvers' slow path (loader/tls.h, kSystemModid). Initial-exec accesses
// to a dynamic block are refused: it has no fixed offset.
#include "hybrid_tls.h"

#include <dlfcn.h>
#include <elf.h>
#include <link.h>

#include "thread_walk.h"
#include "tls.h"

extern "C" void* __tls_get_addr(void* tls_index);  // ld.so's (GLIBC_2.3)

namespace staticdl {

namespace {

struct Place {
  uintptr_t addr;
  uint64_t modid = 0;
  uintptr_t block = 0;
};

int find_block(struct dl_phdr_info* info, size_t size, void* arg) {
  Place* pl = static_cast<Place*>(arg);
  if (size < offsetof(struct dl_phdr_info, dlpi_tls_data) + sizeof info->dlpi_tls_data || !info->dlpi_tls_modid ||
      !info->dlpi_tls_data)
    return 0;
  for (uint16_t i = 0; i < info->dlpi_phnum; i++) {
    const ElfW(Phdr)& ph = info->dlpi_phdr[i];
    uintptr_t b = reinterpret_cast<uintptr_t>(info->dlpi_tls_data);
    if (ph.p_type == PT_TLS && pl->addr >= b && pl->addr - b < ph.p_memsz) {
      pl->modid = info->dlpi_tls_modid, pl->block = b;
      return 1;
    }
  }
  return 0;
}

// Whether `block` (the calling thread's) lies in glibc's static TLS area.
bool in_static_tls(uintptr_t block) {
  using Info = void (*)(size_t* size, size_t* align);
  static Info info = reinterpret_cast<Info>(dlsym(RTLD_DEFAULT, "_dl_get_tls_static_info"));
  if (!info) return false;  // unknown: treated as dynamic, so only initial-exec is refused
  size_t size = 0, align = 0;
  info(&size, &align);
  uintptr_t tp = thread_pointer();
#if defined(__x86_64__)
  return block < tp && tp - block <= size;
#else
  return block >= tp && block - tp < size;
#endif
}

}  // namespace

bool system_tls_place(uintptr_t addr, HostSymbol* out) {
  Place pl{addr};
  dl_iterate_phdr(find_block, &pl);
  if (!pl.modid) return false;
  out->type = STT_TLS;
  if (in_static_tls(pl.block)) {  // an offset in module 1, valid in every thread
    ModuleTls host;
    tls_host_info(&host);
    out->tls_modid = 0, out->value = addr - thread_pointer() - static_cast<uintptr_t>(host.tpoff);
  } else {
    out->tls_modid = pl.modid, out->value = addr - pl.block;
  }
  return true;
}

void* system_tls_get_addr(uint64_t modid, uint64_t offset) {
  struct {
    unsigned long modid, offset;
  } ti = {modid, offset};
  return __tls_get_addr(&ti);
}

}  // namespace staticdl
