// Selects the traits of the architecture being built for.
//
// Adding an architecture (riscv64, say):
//   1. write loader/arch_<arch>.h: a traits struct with the same members as
//      X86_64 (machine number, relocation numbers, reloc_name) and an essay
//      on its psABI relocation and TLS rules;
//   2. give reloc_name() a table in loader/arch_names.cpp;
//   3. add the #elif below;
//   4. add runtime/<arch>/ asm stubs once TLS needs them, and a toolchain
//      file in cmake/.
#pragma once

#if defined(__x86_64__)
#include "arch_x86_64.h"
namespace staticdl { using Arch = X86_64; }
#elif defined(__aarch64__)
#include "arch_aarch64.h"
namespace staticdl { using Arch = AArch64; }
#else
#error "staticdl: unsupported architecture (see loader/arch.h)"
#endif
