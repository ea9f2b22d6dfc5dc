// Mapping a validated image into memory.
//
// The whole span [min_vaddr, max_vaddr) is reserved first with PROT_NONE,
// aligned to the largest p_align, so the object's segments keep their
// relative layout and nothing else can land in the gaps. Each PT_LOAD is
// then placed with MAP_FIXED inside the reservation:
//   - file-backed from the fd when the file offset and address are
//     congruent modulo the runtime page size (the usual case);
//   - otherwise, and for memory input, copied into anonymous pages.
// The tail of the last file page is zeroed and the rest of p_memsz is
// anonymous (.bss). Segments get their final protections at once; no page
// is ever writable and executable. PT_GNU_RELRO is made read-only by
// apply_relro() after relocation.
#pragma once

#include "elf_reader.h"
#include "module.h"

namespace staticdl {

struct CachedPages;  // reloc_cache.h

// Fills m.image, m.bias, m.segments, m.phdrs and the RELRO range. With
// `cache`, the span is placed at cache->bias + min_vaddr and the writable
// file pages come from the cache file (m.cache_mapped); when that address
// is taken, the object is mapped as without a cache.
Status map_image(const char* name, const ElfImage& img, const Input& in, Module& m, const CachedPages* cache);

// mprotect(PROT_READ) of PT_GNU_RELRO, page-rounded inward as glibc does.
Status apply_relro(const char* name, Module& m);

}  // namespace staticdl
