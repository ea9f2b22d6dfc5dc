// Taking the copy-on-write faults of a module's writable pages before it
// is relocated.
//
// Relocations write into pages of the writable segments that are still the
// file's, so each first write is a copy-on-write fault: the kernel copies
// the page. Taking them all in one madvise(MADV_POPULATE_WRITE) call
// (Linux 5.14) costs less than taking them one by one; an older kernel
// refuses the advice and the faults happen as the relocations write.
//
// Not every page of a writable segment is written, and glibc copies only
// the ones that are: libpython3.11's writable segment has 367 file pages,
// of which its relocations write 314 (a stretch of .data.rel.ro without
// pointers, and the zero-initialized .PyRuntime at the end). Populating the
// others would cost time and resident memory for nothing. The pages the
// relocations write are found without reading every relocation:
//   - DT_RELR: every place it encodes (relr.h; the table is a few words per page);
//   - the RELATIVE entries at the head of DT_RELA (DT_RELACOUNT of them,
//     sorted by offset as linkers emit them): one entry in 64, and all
//     entries only where two of those lie pages apart;
//   - the PLT relocations (DT_JMPREL, in .got.plt order): the span from
//     the first one to the last.
// Pages that only symbolic relocations write (GOT entries, data holding
// addresses of exported functions) are not found: they take their faults
// one by one, as under glibc. An object with neither DT_RELR nor
// DT_RELACOUNT, or with a DT_REL table, has every file page populated.
// A wrong guess costs time only: a page left out takes its fault when it
// is written, and a page populated in vain is an unused private copy.
#pragma once

#include "module.h"

namespace staticdl {

void populate_relocated_pages(const Module& m);

}  // namespace staticdl
