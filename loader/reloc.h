// Applying an object's dynamic relocations (DT_RELR, DT_RELA, DT_REL and
// DT_JMPREL), eagerly. The loop is written once; the architecture supplies
// the relocation numbers through Arch (arch.h).
#pragma once

#include "module.h"

namespace staticdl {

struct RelocStats {
  uint64_t relative = 0, symbolic = 0, irelative = 0, tls = 0;
  uint64_t populate_ns = 0;  // copy-on-write of the writable segments (STATICDL_DEBUG=statistics only)
};

// Relocates m (its dependencies must already be relocated). Every offset is
// checked against m's writable segments and every symbol index against the
// symbol table before use.
Status relocate(Module& m, RelocStats* stats);

// True when m has initial-exec TLS relocations (TPOFF) against its own
// TLS, so its block must live in static TLS. Tables must be validated.
bool has_static_tls_relocs(const Module& m);

}  // namespace staticdl
