// Relocation names for error messages: "unsupported relocation type
// R_X86_64_COPY (5)", as glibc prints them.
#include <stddef.h>

#include "arch_aarch64.h"
#include "arch_x86_64.h"

namespace staticdl {

namespace {
struct Name {
  unsigned type;
  const char* name;
};

template <size_t N>
const char* find(const Name (&tab)[N], unsigned type) {
  for (const Name& n : tab)
    if (n.type == type) return n.name;
  return "unknown";
}

#define N_(x) {x, #x}
const Name kX86_64[] = {
    N_(R_X86_64_NONE),      N_(R_X86_64_64),        N_(R_X86_64_PC32),     N_(R_X86_64_GOT32),
    N_(R_X86_64_PLT32),     N_(R_X86_64_COPY),      N_(R_X86_64_GLOB_DAT), N_(R_X86_64_JUMP_SLOT),
    N_(R_X86_64_RELATIVE),  N_(R_X86_64_GOTPCREL),  N_(R_X86_64_32),       N_(R_X86_64_32S),
    N_(R_X86_64_16),        N_(R_X86_64_PC16),      N_(R_X86_64_8),        N_(R_X86_64_PC8),
    N_(R_X86_64_DTPMOD64),  N_(R_X86_64_DTPOFF64),  N_(R_X86_64_TPOFF64),  N_(R_X86_64_TLSGD),
    N_(R_X86_64_TLSLD),     N_(R_X86_64_DTPOFF32),  N_(R_X86_64_GOTTPOFF), N_(R_X86_64_TPOFF32),
    N_(R_X86_64_PC64),      N_(R_X86_64_GOTOFF64),  N_(R_X86_64_GOTPC32),  N_(R_X86_64_SIZE32),
    N_(R_X86_64_SIZE64),    N_(R_X86_64_TLSDESC),   N_(R_X86_64_IRELATIVE), N_(R_X86_64_RELATIVE64),
};
const Name kAArch64[] = {
    N_(R_AARCH64_NONE),      N_(R_AARCH64_ABS64),      N_(R_AARCH64_ABS32),    N_(R_AARCH64_PREL64),
    N_(R_AARCH64_PREL32),    N_(R_AARCH64_COPY),       N_(R_AARCH64_GLOB_DAT), N_(R_AARCH64_JUMP_SLOT),
    N_(R_AARCH64_RELATIVE),  N_(R_AARCH64_TLS_DTPMOD), N_(R_AARCH64_TLS_DTPREL), N_(R_AARCH64_TLS_TPREL),
    N_(R_AARCH64_TLSDESC),   N_(R_AARCH64_IRELATIVE),
};
#undef N_
}  // namespace

const char* X86_64::reloc_name(unsigned type) { return find(kX86_64, type); }
const char* AArch64::reloc_name(unsigned type) { return find(kAArch64, type); }

}  // namespace staticdl
