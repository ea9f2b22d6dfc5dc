// x86_64 traits for the relocation loop.
//
// ABI (System V AMD64 psABI, section 4.4 "Relocation"): every dynamic
// relocation is RELA (an explicit addend). In the formulas below S is the
// symbol's runtime address, A the addend, B the load bias of the object
// and P the address of the place being relocated:
//   R_X86_64_64         S + A        (word64)
//   R_X86_64_PC32       S + A - P    (word32, must fit int32)
//   R_X86_64_32/32S     S + A        (word32, must fit uint32/int32)
//   R_X86_64_PC64       S + A - P    (word64)
//   R_X86_64_GLOB_DAT   S            (word64)
//   R_X86_64_JUMP_SLOT  S            (word64; bound at load, or at its first
//                                     call under RTLD_LAZY if undefined: lazy.h)
//   R_X86_64_RELATIVE   B + A        (word64)
//   R_X86_64_IRELATIVE  (B + A)()    (word64: call the resolver)
// IFUNC resolvers (IRELATIVE, STT_GNU_IFUNC symbols) are called as glibc's
// ld.so calls them here: with no arguments (call_ifunc).
//   R_X86_64_SIZE64     Z + A        (Z = st_size)
//   R_X86_64_DTPMOD64   module id of S's object
//   R_X86_64_DTPOFF64   S + A (offset in that object's block)
//   R_X86_64_TPOFF64    block - tp + S + A (static TLS only)
//   R_X86_64_TLSDESC    {resolver, argument} (-mtls-dialect=gnu2)
// COPY relocations only make sense in executables and are refused.
//
// The thread pointer (%fs base) points at the TCB, with the static TLS
// blocks below it (TLS variant II).
#pragma once

#if defined(__x86_64__)  // arch_names.cpp reads these traits on every machine
#include <cpuid.h>
#endif
#include <elf.h>
#include <stdint.h>

namespace staticdl {

struct X86_64 {
  static constexpr unsigned kMachine = EM_X86_64;
  static constexpr const char* kMachineName = "EM_X86_64";
  static constexpr const char* kPlatform = "x86_64";
  static constexpr bool kUsesRela = true;
  static constexpr uint8_t kEagerOnlyOther = 0;  // no st_other bit forbids lazy binding (lazy.h)
  // The bytes runtime/x86_64/lazy_stub.S needs for the vector registers:
  // XSAVE's area for the state components the OS enabled (CPUID 0xD, 0:
  // EBX), or 0 for FXSAVE's 512 where the OS has not enabled XSAVE.
  static uint32_t lazy_xsave_size() {
#if !defined(__x86_64__)
    return 0;
#else
    unsigned a, b, c, d;
    if (!__get_cpuid(1, &a, &b, &c, &d) || !(c & bit_OSXSAVE)) return 0;
    __cpuid_count(0xd, 0, a, b, c, d);
    return b;
#endif
  }

  static uintptr_t call_ifunc(uintptr_t resolver) { return reinterpret_cast<uintptr_t (*)()>(resolver)(); }
  static constexpr int32_t kLdCacheFlags = 0x0303;  // ld.so.cache entry flags: FLAG_ELF_LIBC6 | FLAG_X8664_LIB64 (ldcache.h)

  static constexpr unsigned R_NONE = R_X86_64_NONE;
  static constexpr unsigned R_ABS64 = R_X86_64_64;
  static constexpr unsigned R_GLOB_DAT = R_X86_64_GLOB_DAT;
  static constexpr unsigned R_JUMP_SLOT = R_X86_64_JUMP_SLOT;
  static constexpr unsigned R_RELATIVE = R_X86_64_RELATIVE;
  static constexpr unsigned R_IRELATIVE = R_X86_64_IRELATIVE;
  static constexpr unsigned R_COPY = R_X86_64_COPY;
  static constexpr unsigned R_PC32 = R_X86_64_PC32;
  static constexpr unsigned R_PC64 = R_X86_64_PC64;
  static constexpr unsigned R_ABS32 = R_X86_64_32;
  static constexpr unsigned R_ABS32S = R_X86_64_32S;
  static constexpr unsigned R_SIZE64 = R_X86_64_SIZE64;
  static constexpr unsigned R_SIZE32 = R_X86_64_SIZE32;
  static constexpr unsigned R_TLS_DTPMOD = R_X86_64_DTPMOD64;
  static constexpr unsigned R_TLS_DTPOFF = R_X86_64_DTPOFF64;
  static constexpr unsigned R_TLS_TPOFF = R_X86_64_TPOFF64;
  static constexpr unsigned R_TLSDESC = R_X86_64_TLSDESC;

  static const char* reloc_name(unsigned type);
};

}  // namespace staticdl
