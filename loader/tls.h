// Thread-local storage for loaded modules.
//
// The ELF TLS ABI (Drepper, "ELF Handling For Thread-Local Storage") gives
// each module with a PT_TLS segment a module id and a block per thread,
// initialised from the segment: p_filesz bytes of .tdata copied, the rest
// up to p_memsz (.tbss) zeroed, the block aligned to p_align. Code reaches
// its variables in one of four models:
//   general/local dynamic  __tls_get_addr(&{module id, offset}), relocated
//                          by DTPMOD64 (the id) and DTPOFF64 (the offset);
//   TLS descriptors        a two-word descriptor {resolver, argument}; the
//                          code calls resolver(&desc) and adds the result
//                          to the thread pointer (R_X86_64_TLSDESC,
//                          R_AARCH64_TLSDESC);
//   initial exec           a GOT word holding the variable's fixed offset
//                          from the thread pointer (TPOFF64); the block
//                          must sit at the same offset from the thread
//                          pointer in every thread: "static TLS".
// The host is static, so there is no DTV of musl's to extend: staticdl
// keeps its own per-thread vector (ThreadVector, reached through one
// thread_local of the host) and allocates a module's block in a thread on
// that thread's first access. A generation number per module id makes a
// block left in a vector by an unloaded module look stale, so ids are
// reused safely; blocks are freed at dlclose (for every thread) and at
// thread exit (a pthread key destructor, which also covers threads the
// loader never saw start).
//
// Static TLS comes from a reserve in the host's own TLS segment: the
// `staticdl_tls_reserve` array (runtime/tls_reserve.c, sized when the host
// is linked). It is initialised data (.tdata), so it is part of the
// template that musl copies into every new thread; a module's image is
// written into the template and into the reserve of every live thread
// (thread_walk.h), with thread creation held off meanwhile.
//
// In hybrid mode (a glibc process), variables of the objects ld.so loaded
// live in glibc's blocks: a static one is reached as an offset in module 1
// (the executable's block, in glibc's static TLS); a dynamic one (an object
// glibc dlopen()ed later) keeps glibc's module id, tagged with
// kSystemModid, and staticdl's resolvers' slow path hands it to glibc's
// __tls_get_addr (runtime/hybrid_tls.cpp).
#pragma once

#include <elf.h>
#include <stddef.h>
#include <stdint.h>

#include "expected.h"

namespace staticdl {

struct Module;

// Per-module TLS state (Module::tls).
struct ModuleTls {
  size_t modid = 0;            // 0: no PT_TLS
  uint64_t gen = 0;            // generation of modid at registration
  uintptr_t init = 0;          // runtime address of the .tdata image
  uint64_t filesz = 0, memsz = 0, align = 1;
  bool is_static = false;      // lives in the static reserve
  intptr_t tpoff = 0;          // static: block address - thread pointer
  uint64_t reserve_off = 0, reserve_len = 0;
};

// The argument of a dynamic TLS descriptor.
struct TlsDescArg {
  uint64_t modid;
  uint64_t offset;
};

constexpr size_t kMaxTlsModules = 4096;
constexpr size_t kHostModid = 1;
// A module id of the system loader's (hybrid mode: glibc's, for an object it
// gave dynamic TLS) as staticdl's resolvers see it: tagged, so it fails
// their fast path's bound check, and the slow path hands it to
// g_system_tls_get_addr.
constexpr uint64_t kSystemModid = uint64_t(1) << 63;
// The system loader's __tls_get_addr for (module id, offset); set in hybrid mode.
extern void* (*g_system_tls_get_addr)(uint64_t modid, uint64_t offset);

// Registers m's PT_TLS (phdr `ph`); `need_static` for DF_STATIC_TLS or
// initial-exec relocations. Fails when the static reserve is used up.
Status tls_register(const char* name, Module& m, const Elf64_Phdr& ph, bool need_static);

// Releases m's module id and static chunk, and frees its blocks in every
// thread. Call under the loader lock, after m's finalizers.
void tls_unregister(Module& m);

// Installs m's image into the static reserve of the template and of every
// live thread. Call after relocation (the image may hold relocated data).
void tls_publish_static(Module& m);

// The calling thread's block of module `modid` (allocating it), or
// nullptr if the module id is not live.
void* tls_block(size_t modid);
// Like tls_block but never allocates (dl_iterate_phdr's dlpi_tls_data).
void* tls_block_if_allocated(size_t modid);

// Allocates a descriptor argument owned by m (freed by tls_unregister).
TlsDescArg* tls_desc_arg(Module& m, uint64_t modid, uint64_t offset);

// The host's own TLS block as a ModuleTls (module id 1, static).
void tls_host_info(ModuleTls* out);

// Bytes currently held in TLS blocks and descriptor arguments (tests).
uint64_t tls_bytes_in_use();

// Static-reserve facts, for staticdl check and tests.
struct TlsReserveInfo {
  uint64_t size = 0, used = 0;
  bool found = false;
};
TlsReserveInfo tls_reserve_info();

// The TLS entry points handed to plugins (runtime/<arch>/tls_stubs.S) run
// from a copy mapped among the plugins: `fn` inside the stubs -> its copy.
// Anything else, or any address when the copy could not be made, comes back
// unchanged (the image's stubs work too, only slower: see tls.cpp).
void* tls_entry(void* fn);

// Per-thread vector entry; layout shared with runtime/<arch>/tls_stubs.S.
struct DtvEntry {
  void* block;
  uint64_t gen;
};
struct ThreadVector {
  DtvEntry* dtv;
  uint64_t len;
  // Constant, but per thread so that the stubs reach them through the
  // thread pointer alone.
  const uint64_t* gen;                       // staticdl_tls_slot_gen
  void* (*slow)(uint64_t modid, uint64_t offset);  // staticdl_tls_get_addr_slow
};

}  // namespace staticdl

// The hot-path state, named for the asm resolvers: the calling thread's
// vector and the live generation of each module id.
extern "C" __thread staticdl::ThreadVector staticdl_tls_self __attribute__((tls_model("initial-exec")));
extern "C" uint64_t staticdl_tls_slot_gen[staticdl::kMaxTlsModules];
// Slow path of __tls_get_addr and of the dynamic TLS descriptor.
extern "C" void* staticdl_tls_get_addr_slow(uint64_t modid, uint64_t offset);
// The entry points in runtime/<arch>/tls_stubs.S.
extern "C" void* staticdl_tls_get_addr(void* tls_index);
extern "C" void staticdl_tlsdesc_static();
extern "C" void staticdl_tlsdesc_dynamic();
extern "C" void staticdl_tlsdesc_undefweak();
extern "C" const char staticdl_tls_stubs_begin[], staticdl_tls_stubs_end[];
