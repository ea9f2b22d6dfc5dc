// The dynamic section: parsing and validation.
//
// PT_DYNAMIC is read from the mapped image (it was checked to lie inside a
// file-backed PT_LOAD). Every address-valued tag is biased and checked,
// together with its size tag, against the mapped PT_LOAD segments before
// it is stored in DynInfo; string-table offsets are checked against
// DT_STRSZ when they are used (SymbolTable::str).
#pragma once

#include "elf_reader.h"
#include "module.h"

namespace staticdl {

// Fills m.dyn and m.syms; refuses DT_TEXTREL and unknown DT_FLAGS_1 bits
// that change loading semantics in ways staticdl does not implement.
Status parse_dynamic(const char* name, const ElfImage& img, Module& m);

// [addr, addr+size) lies inside one mapped segment of m.
bool in_segments(const Module& m, uintptr_t addr, uint64_t size);
// [addr, addr+size) lies inside the file-backed part (p_filesz) of one
// readable segment: where every table of the dynamic section must be. This
// also bounds table walks by the file's size, not by a huge .bss.
bool in_file_data(const Module& m, uintptr_t addr, uint64_t size);
// addr lies inside an executable segment of m.
bool in_exec_segment(const Module& m, uintptr_t addr);

}  // namespace staticdl
