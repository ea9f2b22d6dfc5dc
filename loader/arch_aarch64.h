// AArch64 traits for the relocation loop.
//
// ABI (ELF for the Arm 64-bit Architecture, "Dynamic relocations"): RELA
// only. S, A, B, P as in arch_x86_64.h:
//   R_AARCH64_ABS64      S + A
//   R_AARCH64_GLOB_DAT   S + A
//   R_AARCH64_JUMP_SLOT  S + A   (bound eagerly)
//   R_AARCH64_RELATIVE   B + A
//   R_AARCH64_IRELATIVE  (B + A)(hwcap | _IFUNC_ARG_HWCAP, &arg)
// IFUNC resolvers are called as glibc's ld.so calls them (elf_ifunc_invoke):
// x0 = AT_HWCAP with bit 62 (_IFUNC_ARG_HWCAP) set, saying that x1 points at
// an __ifunc_arg_t {its size, AT_HWCAP, AT_HWCAP2} (call_ifunc).
//   R_AARCH64_TLS_DTPMOD64  module id of S's object
//   R_AARCH64_TLS_DTPREL64  S + A (offset in that object's block)
//   R_AARCH64_TLS_TPREL64   block - tp + S + A (static TLS only)
//   R_AARCH64_TLSDESC       {resolver, argument} (the default TLS dialect)
// The thread pointer (TPIDR_EL0) points at the TCB, with static TLS above
// it (TLS variant I); loader/tls.h has the details.
#pragma once

#include <elf.h>
#include <stdint.h>
#include <sys/auxv.h>

#ifndef R_AARCH64_IRELATIVE
#define R_AARCH64_IRELATIVE 1032
#endif

namespace staticdl {

struct AArch64 {
  static constexpr unsigned kMachine = EM_AARCH64;
  static constexpr const char* kMachineName = "EM_AARCH64";
  static constexpr const char* kPlatform = "aarch64";
  static constexpr bool kUsesRela = true;
  // STO_AARCH64_VARIANT_PCS: the function keeps more registers than the
  // lazy resolver saves (SVE), so glibc binds it at load (lazy.h).
  static constexpr uint8_t kEagerOnlyOther = 0x80;
  static uint32_t lazy_xsave_size() { return 0; }  // x86_64 only (lazy_stub.S saves q0-q7)

  struct IfuncArg {  // glibc's __ifunc_arg_t
    unsigned long size, hwcap, hwcap2;
  };
  static uintptr_t call_ifunc(uintptr_t resolver) {
    IfuncArg arg{sizeof(IfuncArg), getauxval(AT_HWCAP), getauxval(26 /* AT_HWCAP2 */)};
    return reinterpret_cast<uintptr_t (*)(unsigned long, const IfuncArg*)>(resolver)(arg.hwcap | (1ul << 62), &arg);
  }
  static constexpr int32_t kLdCacheFlags = 0x0a03;  // ld.so.cache entry flags: FLAG_ELF_LIBC6 | FLAG_AARCH64_LIB64 (ldcache.h)

  static constexpr unsigned R_NONE = R_AARCH64_NONE;
  static constexpr unsigned R_ABS64 = R_AARCH64_ABS64;
  static constexpr unsigned R_GLOB_DAT = R_AARCH64_GLOB_DAT;
  static constexpr unsigned R_JUMP_SLOT = R_AARCH64_JUMP_SLOT;
  static constexpr unsigned R_RELATIVE = R_AARCH64_RELATIVE;
  static constexpr unsigned R_IRELATIVE = R_AARCH64_IRELATIVE;
  static constexpr unsigned R_COPY = R_AARCH64_COPY;
  static constexpr unsigned R_PC32 = R_AARCH64_PREL32;
  static constexpr unsigned R_PC64 = R_AARCH64_PREL64;
  static constexpr unsigned R_ABS32 = R_AARCH64_ABS32;
  static constexpr unsigned R_ABS32S = ~0u;  // no such relocation
  static constexpr unsigned R_SIZE64 = ~0u;
  static constexpr unsigned R_SIZE32 = ~0u;
  static constexpr unsigned R_TLS_DTPMOD = R_AARCH64_TLS_DTPMOD;
  static constexpr unsigned R_TLS_DTPOFF = R_AARCH64_TLS_DTPREL;
  static constexpr unsigned R_TLS_TPOFF = R_AARCH64_TLS_TPREL;
  static constexpr unsigned R_TLSDESC = R_AARCH64_TLSDESC;

  static const char* reloc_name(unsigned type);
};

}  // namespace staticdl
