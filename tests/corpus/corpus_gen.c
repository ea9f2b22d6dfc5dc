/* corpus_gen: derives a corpus of malformed ELF files from valid plugins.
 *
 * The robustness contract (README "Errors"): a broken or hostile plugin makes
 * dlopen() return NULL with a dlerror() text that names the file and the
 * problem; the host never crashes, and nothing the failed load mapped,
 * opened or allocated is left behind. This corpus exercises that contract
 * file by file; tests/corpus/corpus_runner.c checks it (robustness.corpus).
 *
 * Usage (built natively with the host compiler, like tests/tools/elfpatch):
 *
 *   corpus_gen [-a ARCH.tsv] EXPECTED.tsv OUTDIR FLAVOR=PLUGIN.so...
 *
 * Inputs are the valid plugins built from corpus_plugin.c, one per flavor:
 *   gnu    zig/lld, DT_GNU_HASH, DT_VERDEF, DT_SONAME/DT_RUNPATH, INIT/FINI
 *   sysv   zig/lld, DT_HASH only (--hash-style=sysv)
 *   glibc  gcc/ld.bfd against glibc: DT_HASH and DT_GNU_HASH, DT_VERNEED on
 *          libc.so.6 (versioned imports), DT_VERDEF, a PT_NOTE
 *
 * Output: OUTDIR/<flavor>.<mutation>.so for every mutation that applies to the
 * flavor (the unmodified input as <flavor>.base.so), and OUTDIR/manifest.tsv
 * with one line per file:
 *
 *   <file>\t<expected dlerror text, or LOADS>
 *
 * The expected text comes from EXPECTED.tsv (checked in next to this file):
 * lines "<fnmatch pattern on flavor.mutation>\t<text>", first match wins. In
 * the text, '*' stands for any run of characters (values such as offsets and
 * segment numbers vary with the link). LOADS marks a mutation the loader
 * legitimately accepts (a harmless change); the runner then dlclose()s it.
 * Every generated file must match a pattern and every pattern must be used,
 * so a mutation that stops applying after a relink fails the build rather
 * than silently shrinking the corpus. -a ARCH.tsv (expected.<arch>.tsv, for
 * an aarch64 corpus) is read first: its lines replace the lines of
 * EXPECTED.tsv with the same pattern (texts that name the machine or its
 * relocations), which are then not required to match anything.
 *
 * Relocation mutations use the numbers of the input's e_machine (x86_64 or
 * aarch64; see Machine).
 *
 * Files are patched by parsing them (ELF64 little-endian: program headers,
 * PT_DYNAMIC, the tables it points to, relocations), never at fixed
 * offsets, so the generator survives relinking and toolchain changes. A
 * mutation returns non-zero when the input lacks what it needs; for a
 * flavor it is listed under, that is an error.
 *
 * Families of mutations (the name prefix):
 *   trunc-*   the file cut at each header and segment boundary
 *   hdr-*     ELF header fields (magic, class, data, version, type, machine,
 *             phentsize, phnum, phoff)
 *   load-*, phdr-*, stack-*, relro-*, tls-*
 *             program headers: overlapping, out-of-order, misaligned or huge
 *             PT_LOADs, W+X, unreadable segments, PT_DYNAMIC, PT_TLS, ...
 *   dyn-*     DT_* tags: pointers outside the segments, sizes, entry sizes,
 *             string offsets, missing DT_NULL, TEXTREL, NOOPEN
 *   gnuhash-*, sysvhash-*, verdef-*, verneed-*, versym-*
 *             symbol hash tables and version records
 *   sym-*, rel-*
 *             symbols and relocations
 *   hole-*    the executable segment cut to its first page, leaving unmapped
 *             pages inside the reserved image, and a table pointed there
 */
#define _GNU_SOURCE 1
#include <elf.h>
#include <errno.h>
#include <fnmatch.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#define PAGE 0x1000ull

/* ---- relocation numbers of the input's machine ------------------------------ */

/* Set from each input's e_machine (x86_64 or aarch64) before its mutations
 * run. `static_only` is a relocation only static links use (the loader
 * must refuse it as unsupported); `pc32` a 32-bit PC-relative one the
 * loader applies (and so must check for overflow). */
typedef struct {
  const char *name;
  uint32_t abs64, glob_dat, jump_slot, relative, copy, dtpmod64, dtpoff64, tpoff64, tlsdesc, static_only,
      none, pc32, irelative;
  uint16_t other_machine; /* hdr-other-machine */
} Machine;
static const Machine kX86_64 = {"x86_64", R_X86_64_64, R_X86_64_GLOB_DAT, R_X86_64_JUMP_SLOT,
                                R_X86_64_RELATIVE, R_X86_64_COPY, R_X86_64_DTPMOD64, R_X86_64_DTPOFF64,
                                R_X86_64_TPOFF64, R_X86_64_TLSDESC, R_X86_64_GOTPCREL, R_X86_64_NONE,
                                R_X86_64_PC32, R_X86_64_IRELATIVE, EM_AARCH64};
#ifndef R_AARCH64_IRELATIVE
#define R_AARCH64_IRELATIVE 1032
#endif
static const Machine kAArch64 = {"aarch64", R_AARCH64_ABS64, R_AARCH64_GLOB_DAT, R_AARCH64_JUMP_SLOT,
                                 R_AARCH64_RELATIVE, R_AARCH64_COPY, R_AARCH64_TLS_DTPMOD,
                                 R_AARCH64_TLS_DTPREL, R_AARCH64_TLS_TPREL, R_AARCH64_TLSDESC,
                                 R_AARCH64_ADR_GOT_PAGE, R_AARCH64_NONE, R_AARCH64_PREL32,
                                 R_AARCH64_IRELATIVE, EM_X86_64};
static const Machine *R = &kX86_64;

/* ---- the file being mutated ------------------------------------------------ */

typedef struct {
  unsigned char *b;
  size_t n;
  Elf64_Ehdr *eh;
  Elf64_Phdr *ph;
  int phnum;
  Elf64_Dyn *dyn;
  size_t ndyn; /* entries that fit in PT_DYNAMIC's p_filesz */
} Elf;

static int in_file(const Elf *e, uint64_t off, uint64_t len) { return off <= e->n && len <= e->n - off; }

static int parse(Elf *e) {
  if (e->n < sizeof(Elf64_Ehdr)) return -1;
  e->eh = (Elf64_Ehdr *)e->b;
  if (memcmp(e->eh->e_ident, ELFMAG, SELFMAG) || e->eh->e_ident[EI_CLASS] != ELFCLASS64 ||
      e->eh->e_ident[EI_DATA] != ELFDATA2LSB || e->eh->e_phentsize != sizeof(Elf64_Phdr) ||
      !in_file(e, e->eh->e_phoff, (uint64_t)e->eh->e_phnum * sizeof(Elf64_Phdr)))
    return -1;
  e->ph = (Elf64_Phdr *)(e->b + e->eh->e_phoff);
  e->phnum = e->eh->e_phnum;
  e->dyn = NULL, e->ndyn = 0;
  for (int i = 0; i < e->phnum; i++)
    if (e->ph[i].p_type == PT_DYNAMIC && in_file(e, e->ph[i].p_offset, e->ph[i].p_filesz)) {
      e->dyn = (Elf64_Dyn *)(e->b + e->ph[i].p_offset);
      e->ndyn = e->ph[i].p_filesz / sizeof(Elf64_Dyn);
    }
  return e->dyn ? 0 : -1;
}

/* The nth (0-based) program header of `type`. */
static Elf64_Phdr *phdr(Elf *e, uint32_t type, int nth) {
  for (int i = 0; i < e->phnum; i++)
    if (e->ph[i].p_type == type && nth-- == 0) return &e->ph[i];
  return NULL;
}
static int nloads(Elf *e) {
  int k = 0;
  while (phdr(e, PT_LOAD, k)) k++;
  return k;
}
/* First PT_LOAD whose flags include all of `want` and none of `avoid`. */
static Elf64_Phdr *load_with(Elf *e, uint32_t want, uint32_t avoid) {
  for (int i = 0; i < e->phnum; i++)
    if (e->ph[i].p_type == PT_LOAD && (e->ph[i].p_flags & want) == want && !(e->ph[i].p_flags & avoid))
      return &e->ph[i];
  return NULL;
}
static Elf64_Phdr *last_load(Elf *e) { return phdr(e, PT_LOAD, nloads(e) - 1); }
/* The PT_LOAD whose file image contains vaddr. */
static Elf64_Phdr *load_of(Elf *e, uint64_t v) {
  for (int i = 0; i < e->phnum; i++)
    if (e->ph[i].p_type == PT_LOAD && v >= e->ph[i].p_vaddr && v - e->ph[i].p_vaddr < e->ph[i].p_filesz)
      return &e->ph[i];
  return NULL;
}
/* End of the highest PT_LOAD, page-rounded: addresses at or past it are
 * outside the image. */
static uint64_t image_end(Elf *e) {
  uint64_t end = 0;
  for (int i = 0; i < e->phnum; i++)
    if (e->ph[i].p_type == PT_LOAD && e->ph[i].p_vaddr + e->ph[i].p_memsz > end)
      end = e->ph[i].p_vaddr + e->ph[i].p_memsz;
  return (end + PAGE - 1) & ~(PAGE - 1);
}
/* A plausible address well outside every segment. */
static uint64_t outside(Elf *e) { return image_end(e) + 0x100000; }

/* File bytes at vaddr (len bytes, all within one segment's file image). */
static void *at(Elf *e, uint64_t v, uint64_t len) {
  Elf64_Phdr *l = load_of(e, v);
  if (!l || v - l->p_vaddr + len > l->p_filesz) return NULL;
  uint64_t off = l->p_offset + (v - l->p_vaddr);
  return in_file(e, off, len) ? e->b + off : NULL;
}

static Elf64_Dyn *dyn(Elf *e, int64_t tag) {
  for (size_t i = 0; i < e->ndyn && e->dyn[i].d_tag != DT_NULL; i++)
    if (e->dyn[i].d_tag == tag) return &e->dyn[i];
  return NULL;
}
static uint64_t dval(Elf *e, int64_t tag) {
  Elf64_Dyn *d = dyn(e, tag);
  return d ? d->d_un.d_val : 0;
}
/* Sets tag (adding it if absent): into a spare DT_NULL slot after the
 * terminator, else over a tag staticdl ignores. */
static int set_tag(Elf *e, int64_t tag, uint64_t val) {
  Elf64_Dyn *d = dyn(e, tag);
  if (d) return d->d_un.d_val = val, 0;
  size_t t = 0;
  while (t < e->ndyn && e->dyn[t].d_tag != DT_NULL) t++;
  if (t + 1 < e->ndyn) {
    e->dyn[t].d_tag = tag, e->dyn[t].d_un.d_val = val;
    e->dyn[t + 1].d_tag = DT_NULL, e->dyn[t + 1].d_un.d_val = 0;
    return 0;
  }
  static const int64_t donors[] = {DT_RELACOUNT, DT_RELCOUNT, DT_DEBUG, DT_PLTGOT, DT_CHECKSUM};
  for (size_t i = 0; i < sizeof donors / sizeof donors[0]; i++)
    if ((d = dyn(e, donors[i]))) return d->d_tag = tag, d->d_un.d_val = val, 0;
  return -1;
}
/* Renames tag to one nobody reads (DT_DEBUG), removing it in effect. */
static int drop_tag(Elf *e, int64_t tag) {
  Elf64_Dyn *d = dyn(e, tag);
  if (!d) return -1;
  d->d_tag = DT_DEBUG, d->d_un.d_val = 0;
  return 0;
}
static int set_ptr(Elf *e, int64_t tag, uint64_t val) {
  Elf64_Dyn *d = dyn(e, tag);
  return d ? (d->d_un.d_ptr = val, 0) : -1;
}

/* ---- symbols, strings, hash tables, relocations ----------------------------- */

static uint64_t nsyms(Elf *e) {
  uint64_t h = dval(e, DT_HASH);
  if (h) {
    uint32_t *w = at(e, h, 8);
    return w ? w[1] : 0;
  }
  h = dval(e, DT_GNU_HASH);
  uint32_t *w = h ? at(e, h, 16) : NULL;
  if (!w) return 0;
  uint32_t nb = w[0], symoff = w[1], bloom = w[2];
  uint32_t *buckets = at(e, h + 16 + 8ull * bloom, 4ull * nb);
  if (!buckets) return 0;
  uint32_t max = 0;
  for (uint32_t i = 0; i < nb; i++)
    if (buckets[i] > max) max = buckets[i];
  if (max < symoff) return symoff;
  uint64_t chain = h + 16 + 8ull * bloom + 4ull * nb;
  for (uint32_t i = max;; i++) {
    uint32_t *c = at(e, chain + 4ull * (i - symoff), 4);
    if (!c) return 0;
    if (*c & 1) return i + 1;
  }
}
static Elf64_Sym *sym(Elf *e, uint64_t i) {
  uint64_t s = dval(e, DT_SYMTAB);
  return s && i < nsyms(e) ? at(e, s + i * sizeof(Elf64_Sym), sizeof(Elf64_Sym)) : NULL;
}
static const char *str(Elf *e, uint64_t off) {
  uint64_t s = dval(e, DT_STRTAB), sz = dval(e, DT_STRSZ);
  if (!s || off >= sz) return NULL;
  const char *p = at(e, s + off, 1);
  return p && memchr(p, 0, sz - off) ? p : NULL;
}
/* Offset in .dynstr of a string equal to `want`, or -1. */
static int64_t find_str(Elf *e, const char *want) {
  uint64_t sz = dval(e, DT_STRSZ);
  for (uint64_t off = 0; off < sz; off++) {
    const char *p = str(e, off);
    if (p && !strcmp(p, want)) return (int64_t)off;
  }
  return -1;
}
static int is_defined(Elf64_Sym *s) { return s && s->st_shndx != SHN_UNDEF; }

/* Calls pred on each RELA entry (DT_RELA, then DT_JMPREL); returns the first
 * entry for which it is true. */
typedef int (*RelPred)(Elf *e, Elf64_Rela *r, void *arg);
static Elf64_Rela *find_rela(Elf *e, RelPred pred, void *arg) {
  int64_t tabs[2][2] = {{DT_RELA, DT_RELASZ}, {DT_JMPREL, DT_PLTRELSZ}};
  for (int t = 0; t < 2; t++) {
    uint64_t a = dval(e, tabs[t][0]), sz = dval(e, tabs[t][1]);
    Elf64_Rela *r = a ? at(e, a, sz) : NULL;
    for (uint64_t i = 0; r && i < sz / sizeof *r; i++)
      if (pred(e, &r[i], arg)) return &r[i];
  }
  return NULL;
}
static int rel_type_is(Elf *e, Elf64_Rela *r, void *arg) {
  (void)e;
  return ELF64_R_TYPE(r->r_info) == *(uint32_t *)arg;
}
/* A symbolic relocation of `type` (0: any of 64/GLOB_DAT/JUMP_SLOT) against
 * a symbol defined here (own == 1) or imported (own == 0). */
struct SymRel {
  uint32_t type;
  int own;
};
static int sym_rel(Elf *e, Elf64_Rela *r, void *arg) {
  struct SymRel *q = arg;
  uint32_t t = ELF64_R_TYPE(r->r_info);
  if (q->type ? t != q->type : (t != R->abs64 && t != R->glob_dat && t != R->jump_slot)) return 0;
  Elf64_Sym *s = sym(e, ELF64_R_SYM(r->r_info));
  if (!s || ELF64_R_SYM(r->r_info) == 0) return 0;
  if (q->own != is_defined(s)) return 0;
  /* Imports must be ones the host defines (not weak _ITM_* or __gmon_start__). */
  return q->own || ELF64_ST_BIND(s->st_info) == STB_GLOBAL;
}
static Elf64_Rela *rela_of(Elf *e, uint32_t type) { return find_rela(e, rel_type_is, &type); }
static Elf64_Rela *symrel(Elf *e, uint32_t type, int own) {
  struct SymRel q = {type, own};
  return find_rela(e, sym_rel, &q);
}

typedef struct {
  uint32_t *hdr; /* nbuckets, symoffset, bloom_size, bloom_shift */
  uint64_t *bloom;
  uint32_t *buckets, *chain;
} Gnu;
static int gnu(Elf *e, Gnu *g) {
  uint64_t h = dval(e, DT_GNU_HASH);
  if (!h || !(g->hdr = at(e, h, 16))) return -1;
  g->bloom = at(e, h + 16, 8ull * g->hdr[2]);
  g->buckets = at(e, h + 16 + 8ull * g->hdr[2], 4ull * g->hdr[0]);
  g->chain = at(e, h + 16 + 8ull * g->hdr[2] + 4ull * g->hdr[0], 4);
  return g->bloom && g->buckets && g->chain ? 0 : -1;
}
typedef struct {
  uint32_t *hdr; /* nbucket, nchain */
  uint32_t *buckets, *chain;
} Sysv;
static int sysv(Elf *e, Sysv *s) {
  uint64_t h = dval(e, DT_HASH);
  if (!h || !(s->hdr = at(e, h, 8))) return -1;
  s->buckets = at(e, h + 8, 4ull * s->hdr[0]);
  s->chain = at(e, h + 8 + 4ull * s->hdr[0], 4ull * s->hdr[1]);
  return s->buckets && s->chain ? 0 : -1;
}
static uint32_t elf_hash(const char *name) {
  uint32_t h = 0;
  for (const unsigned char *p = (const unsigned char *)name; *p; p++) {
    h = (h << 4) + *p;
    uint32_t g = h & 0xf0000000u;
    if (g) h ^= g >> 24;
    h &= ~g;
  }
  return h;
}

/* ---- mutations -------------------------------------------------------------- */

typedef int (*MutFn)(Elf *e);
#define MUT(name) static int name(Elf *e)

/* ELF header. */
MUT(hdr_bad_magic) { e->eh->e_ident[EI_MAG1] = 'X'; return 0; }
MUT(hdr_class32) { e->eh->e_ident[EI_CLASS] = ELFCLASS32; return 0; }
MUT(hdr_classnone) { e->eh->e_ident[EI_CLASS] = ELFCLASSNONE; return 0; }
MUT(hdr_msb) { e->eh->e_ident[EI_DATA] = ELFDATA2MSB; return 0; }
MUT(hdr_data_none) { e->eh->e_ident[EI_DATA] = ELFDATANONE; return 0; }
MUT(hdr_ident_version) { e->eh->e_ident[EI_VERSION] = 2; return 0; }
MUT(hdr_e_version) { e->eh->e_version = 2; return 0; }
MUT(hdr_osabi) { e->eh->e_ident[EI_OSABI] = ELFOSABI_ARM; return 0; }
MUT(hdr_other_machine) { e->eh->e_machine = R->other_machine; return 0; } /* the other supported one */
MUT(hdr_i386) { e->eh->e_machine = EM_386; return 0; }
MUT(hdr_machine_unknown) { e->eh->e_machine = 0x1234; return 0; }
MUT(hdr_et_exec) { e->eh->e_type = ET_EXEC; return 0; }
MUT(hdr_et_rel) { e->eh->e_type = ET_REL; return 0; }
MUT(hdr_et_core) { e->eh->e_type = ET_CORE; return 0; }
MUT(hdr_et_none) { e->eh->e_type = ET_NONE; return 0; }
MUT(hdr_phentsize_32) { e->eh->e_phentsize = 32; return 0; }
MUT(hdr_phentsize_64) { e->eh->e_phentsize = 64; return 0; }
MUT(hdr_phnum_0) { e->eh->e_phnum = 0; return 0; }
MUT(hdr_phnum_65535) { e->eh->e_phnum = 0xffff; return 0; }
MUT(hdr_phnum_past_eof) { /* a count the file cannot hold, below the loader's cap */
  uint64_t fit = (e->n - e->eh->e_phoff) / sizeof(Elf64_Phdr);
  if (fit + 1 > 4096) return -1;
  e->eh->e_phnum = (uint16_t)(fit + 1);
  return 0;
}
MUT(hdr_phoff_past_eof) { e->eh->e_phoff = e->n; return 0; }
MUT(hdr_phoff_huge) { e->eh->e_phoff = UINT64_MAX - 8; return 0; }
MUT(hdr_shoff_garbage) { e->eh->e_shoff = UINT64_MAX - 3, e->eh->e_shnum = 0xffff; return 0; }
MUT(hdr_entry_garbage) { e->eh->e_entry = 0xdeadbeefcafe; return 0; }
MUT(hdr_ehsize_garbage) { e->eh->e_ehsize = 7; return 0; }

/* PT_LOAD. */
MUT(load_overlap) { /* the second PT_LOAD starts where the first does */
  Elf64_Phdr *a = phdr(e, PT_LOAD, 0), *b = phdr(e, PT_LOAD, 1);
  if (!a || !b) return -1;
  b->p_vaddr = b->p_paddr = a->p_vaddr, b->p_offset = a->p_offset;
  return 0;
}
MUT(load_out_of_order) { /* swap the program headers of PT_LOAD 1 and 2 */
  Elf64_Phdr *a = phdr(e, PT_LOAD, 1), *b = phdr(e, PT_LOAD, 2), t;
  if (!a || !b) return -1;
  t = *a, *a = *b, *b = t;
  return 0;
}
MUT(load_misaligned) { /* p_vaddr no longer congruent to p_offset mod p_align */
  Elf64_Phdr *l = last_load(e);
  if (!l || l->p_align < 0x100) return -1;
  l->p_vaddr += 0x10, l->p_paddr += 0x10;
  return 0;
}
MUT(load_align_not_pow2) {
  Elf64_Phdr *l = last_load(e);
  return l ? (l->p_align = 0x3000, 0) : -1;
}
MUT(load_align_huge) { /* a power of two, congruent, but 1 TiB */
  for (int i = 0; i < e->phnum; i++)
    if (e->ph[i].p_type == PT_LOAD && e->ph[i].p_vaddr % (1ull << 40) == e->ph[i].p_offset % (1ull << 40))
      return e->ph[i].p_align = 1ull << 40, 0;
  return -1;
}
MUT(load_align_zero) { /* p_align 0: no constraint, harmless */
  for (int i = 0; i < e->phnum; i++)
    if (e->ph[i].p_type == PT_LOAD) e->ph[i].p_align = 0;
  return 0;
}
MUT(load_filesz_gt_memsz) {
  Elf64_Phdr *l = load_with(e, PF_W, 0);
  if (!l) return -1;
  l->p_memsz = l->p_filesz, l->p_filesz += 8;
  return 0;
}
static int memsz(Elf *e, uint64_t v) {
  Elf64_Phdr *l = last_load(e);
  return l ? (l->p_memsz = v, 0) : -1;
}
MUT(load_memsz_2p47) { return memsz(e, 1ull << 47); }
MUT(load_memsz_2p63) { return memsz(e, 1ull << 63); }
MUT(load_memsz_max) { return memsz(e, UINT64_MAX); }
MUT(load_memsz_first_max) { /* on the first segment, whose p_vaddr is 0 */
  Elf64_Phdr *l = phdr(e, PT_LOAD, 0);
  return l ? (l->p_memsz = UINT64_MAX, 0) : -1;
}
MUT(load_filesz_past_eof) {
  Elf64_Phdr *l = last_load(e);
  if (!l) return -1;
  l->p_filesz = e->n - l->p_offset + 1;
  if (l->p_memsz < l->p_filesz) l->p_memsz = l->p_filesz;
  return 0;
}
MUT(load_offset_huge) {
  Elf64_Phdr *l = last_load(e);
  if (!l) return -1;
  l->p_offset = (UINT64_MAX & ~(PAGE - 1)) + (l->p_offset & (PAGE - 1));
  return 0;
}
MUT(load_vaddr_huge) { /* vaddr + memsz wraps around */
  Elf64_Phdr *l = last_load(e);
  if (!l) return -1;
  l->p_vaddr = l->p_paddr = (UINT64_MAX & ~(PAGE - 1)) + (l->p_vaddr & (PAGE - 1));
  return 0;
}
MUT(load_wx) {
  Elf64_Phdr *l = load_with(e, PF_X, 0);
  return l ? (l->p_flags |= PF_W, 0) : -1;
}
MUT(load_noread_tables) { /* the segment holding .dynsym mapped PROT_NONE */
  Elf64_Phdr *l = load_of(e, dval(e, DT_SYMTAB));
  return l ? (l->p_flags = 0, 0) : -1;
}
MUT(load_noread_dynamic) { /* the segment holding .dynamic mapped PROT_NONE */
  Elf64_Phdr *d = phdr(e, PT_DYNAMIC, 0), *l = d ? load_of(e, d->p_vaddr) : NULL;
  return l ? (l->p_flags = 0, 0) : -1;
}
MUT(load_none) { /* every PT_LOAD retyped PT_NULL */
  for (int i = 0; i < e->phnum; i++)
    if (e->ph[i].p_type == PT_LOAD) e->ph[i].p_type = PT_NULL;
  return 0;
}
MUT(load_all_memsz_zero) {
  for (int i = 0; i < e->phnum; i++)
    if (e->ph[i].p_type == PT_LOAD) e->ph[i].p_memsz = e->ph[i].p_filesz = 0;
  return 0;
}

/* Other program headers. */
static Elf64_Phdr *spare_phdr(Elf *e) { /* one the loader does not need */
  Elf64_Phdr *p = phdr(e, PT_GNU_EH_FRAME, 0);
  if (!p) p = phdr(e, PT_NOTE, 0);
  if (!p) p = phdr(e, PT_GNU_PROPERTY, 0);
  return p;
}
MUT(phdr_no_dynamic) {
  Elf64_Phdr *d = phdr(e, PT_DYNAMIC, 0);
  return d ? (d->p_type = PT_NULL, 0) : -1;
}
MUT(phdr_two_dynamic) {
  Elf64_Phdr *d = phdr(e, PT_DYNAMIC, 0), *s = spare_phdr(e);
  if (!d || !s) return -1;
  *s = *d;
  return 0;
}
MUT(phdr_dynamic_outside) {
  Elf64_Phdr *d = phdr(e, PT_DYNAMIC, 0);
  return d ? (d->p_vaddr = d->p_paddr = outside(e), 0) : -1;
}
MUT(phdr_dynamic_straddle) { /* starts inside a segment, ends past it */
  Elf64_Phdr *d = phdr(e, PT_DYNAMIC, 0), *l = d ? load_of(e, d->p_vaddr) : NULL;
  if (!l) return -1;
  d->p_filesz = d->p_memsz = l->p_vaddr + l->p_filesz - d->p_vaddr + 0x1000;
  return 0;
}
MUT(phdr_dynamic_tiny) {
  Elf64_Phdr *d = phdr(e, PT_DYNAMIC, 0);
  return d ? (d->p_filesz = d->p_memsz = 8, 0) : -1;
}
MUT(phdr_unknown_type) {
  Elf64_Phdr *s = spare_phdr(e);
  return s ? (s->p_type = 0x6abcdef0, 0) : -1;
}
MUT(stack_exec) {
  Elf64_Phdr *s = phdr(e, PT_GNU_STACK, 0);
  return s ? (s->p_flags |= PF_X, 0) : -1;
}
MUT(relro_over_text) { /* RELRO claims the code: mprotect(PROT_READ) on text */
  Elf64_Phdr *r = phdr(e, PT_GNU_RELRO, 0), *t = load_with(e, PF_X, 0);
  if (!r || !t) return -1;
  r->p_vaddr = r->p_paddr = t->p_vaddr, r->p_offset = t->p_offset;
  r->p_filesz = r->p_memsz = t->p_memsz;
  return 0;
}
MUT(relro_outside) { /* outside the image: nothing to protect */
  Elf64_Phdr *r = phdr(e, PT_GNU_RELRO, 0);
  return r ? (r->p_vaddr = r->p_paddr = outside(e), 0) : -1;
}
static int tls(Elf *e, uint64_t size) {
  Elf64_Phdr *s = spare_phdr(e), *d = load_with(e, PF_W, 0);
  if (!s || !d) return -1;
  s->p_type = PT_TLS, s->p_flags = PF_R;
  s->p_vaddr = s->p_paddr = d->p_vaddr, s->p_offset = d->p_offset;
  s->p_filesz = 0, s->p_memsz = size, s->p_align = 8;
  return 0;
}
MUT(tls_zero) { return tls(e, 0); }
MUT(tls_huge) { return tls(e, 1ull << 62); }
MUT(tls_filesz_gt_memsz) {
  if (tls(e, 16)) return -1;
  Elf64_Phdr *t = phdr(e, PT_TLS, 0);
  t->p_filesz = 32;
  return 0;
}
MUT(tls_align_not_pow2) {
  if (tls(e, 16)) return -1;
  phdr(e, PT_TLS, 0)->p_align = 24;
  return 0;
}
MUT(tls_image_outside) { /* an initialized TLS image outside the file's segments */
  if (tls(e, 16)) return -1;
  Elf64_Phdr *t = phdr(e, PT_TLS, 0);
  t->p_vaddr = t->p_paddr = outside(e), t->p_filesz = 16;
  return 0;
}
MUT(tls_two) {
  if (tls(e, 16)) return -1;
  Elf64_Phdr *s = phdr(e, PT_GNU_STACK, 0), *t = phdr(e, PT_TLS, 0);
  if (!s) return -1;
  *s = *t;
  return 0;
}

/* DT_* pointers outside the segments. */
#define OUTSIDE(fn, tag) \
  MUT(fn) { return set_ptr(e, tag, outside(e)); }
OUTSIDE(dyn_strtab_outside, DT_STRTAB)
OUTSIDE(dyn_symtab_outside, DT_SYMTAB)
OUTSIDE(dyn_rela_outside, DT_RELA)
OUTSIDE(dyn_jmprel_outside, DT_JMPREL)
OUTSIDE(dyn_gnu_hash_outside, DT_GNU_HASH)
OUTSIDE(dyn_hash_outside, DT_HASH)
OUTSIDE(dyn_init_array_outside, DT_INIT_ARRAY)
OUTSIDE(dyn_fini_array_outside, DT_FINI_ARRAY)
OUTSIDE(dyn_versym_outside, DT_VERSYM)
OUTSIDE(dyn_verneed_outside, DT_VERNEED)
OUTSIDE(dyn_verdef_outside, DT_VERDEF)
OUTSIDE(dyn_init_outside, DT_INIT)
OUTSIDE(dyn_fini_outside, DT_FINI)
MUT(dyn_symtab_wrap) { return set_ptr(e, DT_SYMTAB, UINT64_MAX - 0x10); } /* bias + ptr wraps */
MUT(dyn_strtab_wrap) { return set_ptr(e, DT_STRTAB, UINT64_MAX - 0x10); }
MUT(dyn_init_in_data) { /* inside the image, but not code */
  Elf64_Phdr *w = load_with(e, PF_W, PF_X);
  return w ? set_ptr(e, DT_INIT, w->p_vaddr) : -1;
}
MUT(dyn_fini_in_data) {
  Elf64_Phdr *w = load_with(e, PF_W, PF_X);
  return w ? set_ptr(e, DT_FINI, w->p_vaddr) : -1;
}
MUT(dyn_init_added_in_rodata) { /* DT_INIT added, pointing at .dynstr */
  return set_tag(e, DT_INIT, dval(e, DT_STRTAB));
}

/* DT_* sizes and entry sizes. */
MUT(dyn_relasz_huge) { Elf64_Dyn *d = dyn(e, DT_RELASZ); return d ? (d->d_un.d_val = 0x10000000 * 24ull, 0) : -1; }
MUT(dyn_relasz_odd) { Elf64_Dyn *d = dyn(e, DT_RELASZ); return d ? (d->d_un.d_val += 1, 0) : -1; }
MUT(dyn_relasz_max) { Elf64_Dyn *d = dyn(e, DT_RELASZ); return d ? (d->d_un.d_val = UINT64_MAX / 24 * 24, 0) : -1; }
MUT(dyn_relaent) { return dyn(e, DT_RELAENT) ? set_tag(e, DT_RELAENT, 16) : -1; }
MUT(dyn_pltrelsz_huge) { Elf64_Dyn *d = dyn(e, DT_PLTRELSZ); return d ? (d->d_un.d_val = 0x1000000 * 24ull, 0) : -1; }
MUT(dyn_pltrel_bad) { Elf64_Dyn *d = dyn(e, DT_PLTREL); return d ? (d->d_un.d_val = 5, 0) : -1; }
MUT(dyn_strsz_huge) { Elf64_Dyn *d = dyn(e, DT_STRSZ); return d ? (d->d_un.d_val = 1ull << 40, 0) : -1; }
MUT(dyn_strsz_max) { Elf64_Dyn *d = dyn(e, DT_STRSZ); return d ? (d->d_un.d_val = UINT64_MAX, 0) : -1; }
MUT(dyn_syment) { Elf64_Dyn *d = dyn(e, DT_SYMENT); return d ? (d->d_un.d_val = 32, 0) : -1; }
MUT(dyn_init_arraysz_huge) { Elf64_Dyn *d = dyn(e, DT_INIT_ARRAYSZ); return d ? (d->d_un.d_val = 1ull << 32, 0) : -1; }
MUT(dyn_init_arraysz_odd) { Elf64_Dyn *d = dyn(e, DT_INIT_ARRAYSZ); return d ? (d->d_un.d_val = 12, 0) : -1; }
MUT(dyn_fini_arraysz_huge) { Elf64_Dyn *d = dyn(e, DT_FINI_ARRAYSZ); return d ? (d->d_un.d_val = 1ull << 32, 0) : -1; }
MUT(dyn_verdefnum_zero) { Elf64_Dyn *d = dyn(e, DT_VERDEFNUM); return d ? (d->d_un.d_val = 0, 0) : -1; }
MUT(dyn_verdefnum_huge) { Elf64_Dyn *d = dyn(e, DT_VERDEFNUM); return d ? (d->d_un.d_val = 0xffffffff, 0) : -1; }
MUT(dyn_verneednum_huge) { Elf64_Dyn *d = dyn(e, DT_VERNEEDNUM); return d ? (d->d_un.d_val = 0xffffffff, 0) : -1; }

/* Structure of the dynamic section. */
MUT(dyn_no_null) { /* no DT_NULL anywhere in PT_DYNAMIC */
  for (size_t i = 0; i < e->ndyn; i++)
    if (e->dyn[i].d_tag == DT_NULL) e->dyn[i].d_tag = DT_DEBUG;
  return 0;
}
MUT(dyn_no_symtab) { return drop_tag(e, DT_SYMTAB); }
MUT(dyn_no_strtab) { return drop_tag(e, DT_STRTAB); }
MUT(dyn_no_hash) { /* neither DT_GNU_HASH nor DT_HASH */
  int a = drop_tag(e, DT_GNU_HASH), b = drop_tag(e, DT_HASH);
  return a && b ? -1 : 0;
}
MUT(dyn_textrel) { return set_tag(e, DT_TEXTREL, 0); }
MUT(dyn_df_textrel) { return set_tag(e, DT_FLAGS, dval(e, DT_FLAGS) | DF_TEXTREL); }
MUT(dyn_noopen) { return set_tag(e, DT_FLAGS_1, dval(e, DT_FLAGS_1) | DF_1_NOOPEN); }
MUT(dyn_symbolic) { return set_tag(e, DT_SYMBOLIC, 0); }
MUT(dyn_unknown_tag) { Elf64_Dyn *d = dyn(e, DT_RELACOUNT); return d ? (d->d_tag = 0x6abcdef0, 0) : -1; }

/* String-table offsets. */
#define BADSTR 0x0fffffffull
MUT(dyn_needed_str) { Elf64_Dyn *d = dyn(e, DT_NEEDED); return d ? (d->d_un.d_val = BADSTR, 0) : -1; }
MUT(dyn_filter_str) { /* a DT_NEEDED made a DT_FILTER, out of range */
  Elf64_Dyn *d = dyn(e, DT_NEEDED);
  return d ? (d->d_tag = DT_FILTER, d->d_un.d_val = BADSTR, 0) : -1;
}
MUT(dyn_auxiliary_str) { /* a DT_NEEDED made a DT_AUXILIARY, out of range */
  Elf64_Dyn *d = dyn(e, DT_NEEDED);
  return d ? (d->d_tag = DT_AUXILIARY, d->d_un.d_val = BADSTR, 0) : -1;
}
MUT(dyn_soname_str) { Elf64_Dyn *d = dyn(e, DT_SONAME); return d ? (d->d_un.d_val = BADSTR, 0) : -1; }
MUT(dyn_runpath_str) { Elf64_Dyn *d = dyn(e, DT_RUNPATH); return d ? (d->d_un.d_val = BADSTR, 0) : -1; }
MUT(dyn_needed_strsz) { /* exactly one past the end */
  Elf64_Dyn *d = dyn(e, DT_NEEDED);
  return d ? (d->d_un.d_val = dval(e, DT_STRSZ), 0) : -1;
}
MUT(sym_name_range) { /* an imported symbol's st_name out of range */
  Elf64_Rela *r = symrel(e, 0, 0);
  Elf64_Sym *s = r ? sym(e, ELF64_R_SYM(r->r_info)) : NULL;
  return s ? (s->st_name = BADSTR, 0) : -1;
}
MUT(sym_undefined) { /* an import renamed to a string the host does not define */
  Elf64_Rela *r = symrel(e, 0, 0);
  Elf64_Sym *s = r ? sym(e, ELF64_R_SYM(r->r_info)) : NULL;
  int64_t o = find_str(e, "CORPUS_1");
  return s && o >= 0 ? (s->st_name = (uint32_t)o, 0) : -1;
}
MUT(sym_ifunc_in_data) { /* an own data symbol retyped STT_GNU_IFUNC: its "resolver" is data */
  Elf64_Rela *r = symrel(e, R->glob_dat, 1);
  Elf64_Sym *s = r ? sym(e, ELF64_R_SYM(r->r_info)) : NULL;
  return s ? (s->st_info = ELF64_ST_INFO(ELF64_ST_BIND(s->st_info), STT_GNU_IFUNC), 0) : -1;
}

/* Version records. */
static Elf64_Verdef *verdef(Elf *e, int nth) {
  uint64_t a = dval(e, DT_VERDEF);
  Elf64_Verdef *d = a ? at(e, a, sizeof *d) : NULL;
  while (d && nth-- > 0) d = d->vd_next ? at(e, a += d->vd_next, sizeof *d) : NULL;
  return d;
}
static Elf64_Verneed *verneed(Elf *e) {
  uint64_t a = dval(e, DT_VERNEED);
  return a ? at(e, a, sizeof(Elf64_Verneed)) : NULL;
}
static Elf64_Vernaux *vernaux(Elf *e) {
  Elf64_Verneed *n = verneed(e);
  return n ? at(e, dval(e, DT_VERNEED) + n->vn_aux, sizeof(Elf64_Vernaux)) : NULL;
}
MUT(verdef_version) { Elf64_Verdef *d = verdef(e, 1); return d ? (d->vd_version = 2, 0) : -1; }
MUT(verdef_cnt_zero) { Elf64_Verdef *d = verdef(e, 1); return d ? (d->vd_cnt = 0, 0) : -1; }
MUT(verdef_next_zero) { Elf64_Verdef *d = verdef(e, 0); return d ? (d->vd_next = 0, 0) : -1; }
MUT(verdef_next_huge) { Elf64_Verdef *d = verdef(e, 0); return d ? (d->vd_next = 0x7ffffff0, 0) : -1; }
MUT(verdaux_name) {
  Elf64_Verdef *d = verdef(e, 1);
  if (!d) return -1;
  Elf64_Verdaux *a = (Elf64_Verdaux *)((unsigned char *)d + d->vd_aux);
  if ((unsigned char *)(a + 1) > e->b + e->n) return -1;
  a->vda_name = BADSTR;
  return 0;
}
MUT(verneed_version) { Elf64_Verneed *n = verneed(e); return n ? (n->vn_version = 7, 0) : -1; }
MUT(verneed_file) { Elf64_Verneed *n = verneed(e); return n ? (n->vn_file = BADSTR, 0) : -1; }
MUT(verneed_aux_huge) { Elf64_Verneed *n = verneed(e); return n ? (n->vn_aux = 0x7ffffff0, 0) : -1; }
MUT(vernaux_name) { Elf64_Vernaux *a = vernaux(e); return a ? (a->vna_name = BADSTR, 0) : -1; }
MUT(versym_bad_index) { /* an import's version index names no record */
  Elf64_Rela *r = symrel(e, 0, 0);
  uint64_t v = dval(e, DT_VERSYM);
  uint16_t *vs = r && v ? at(e, v + 2 * ELF64_R_SYM(r->r_info), 2) : NULL;
  return vs ? (*vs = 0x7ff0, 0) : -1;
}

/* GNU hash. */
#define GNU(fn, body) \
  MUT(fn) {           \
    Gnu g;            \
    if (gnu(e, &g)) return -1; \
    body;             \
    return 0;         \
  }
GNU(gnuhash_nbuckets_zero, g.hdr[0] = 0)
GNU(gnuhash_nbuckets_huge, g.hdr[0] = 0x7fffffff)
GNU(gnuhash_bloom_zero_size, g.hdr[2] = 0)
GNU(gnuhash_bloom_not_pow2, g.hdr[2] = 3)
GNU(gnuhash_bloom_huge, g.hdr[2] = 1u << 30)
GNU(gnuhash_bloom_shift_64, g.hdr[3] = 64)
GNU(gnuhash_symoffset_huge, g.hdr[1] = 0xffff)
GNU(gnuhash_bucket_huge, g.buckets[0] = 0x7fffffff)
GNU(gnuhash_bucket_below_symoffset, if (g.hdr[1] < 2) return -1; g.buckets[0] = 1)
GNU(gnuhash_bloom_cleared, memset(g.bloom, 0, 8ull * g.hdr[2]))
MUT(gnuhash_chain_unterminated) { /* no chain entry ends a chain */
  Gnu g;
  uint64_t n = nsyms(e);
  if (gnu(e, &g) || n <= g.hdr[1]) return -1;
  uint32_t *c = at(e, dval(e, DT_GNU_HASH) + 16 + 8ull * g.hdr[2] + 4ull * g.hdr[0], 4 * (n - g.hdr[1]));
  if (!c) return -1;
  for (uint64_t i = 0; i < n - g.hdr[1]; i++) c[i] &= ~1u;
  return 0;
}

/* SysV hash. */
#define SYSV(fn, body) \
  MUT(fn) {            \
    Sysv s;            \
    if (sysv(e, &s)) return -1; \
    body;              \
    return 0;          \
  }
SYSV(sysvhash_nbucket_zero, s.hdr[0] = 0)
SYSV(sysvhash_nbucket_huge, s.hdr[0] = 0x7fffffff)
SYSV(sysvhash_nchain_huge, s.hdr[1] = 0x7fffffff)
SYSV(sysvhash_nchain_small, s.hdr[1] = 1)
SYSV(sysvhash_bucket_range, s.buckets[0] = 0x7fffffff)
SYSV(sysvhash_chain_range, s.chain[s.hdr[1] - 1] = 0x7fffffff)
MUT(sysvhash_chain_cycle) { /* the bucket of an own symbol (looked up when relocating) loops */
  Sysv s;
  Elf64_Rela *r = symrel(e, R->glob_dat, 1);
  const char *name = r ? str(e, sym(e, ELF64_R_SYM(r->r_info))->st_name) : NULL;
  if (!name || sysv(e, &s) || s.hdr[1] < 3) return -1;
  uint32_t target = ELF64_R_SYM(r->r_info), other = target == 1 ? 2 : 1;
  s.buckets[elf_hash(name) % s.hdr[0]] = other;
  s.chain[other] = other;
  return 0;
}

/* Relocations. */
static Elf64_Rela *any_symrel(Elf *e) {
  Elf64_Rela *r = symrel(e, 0, 0);
  return r ? r : symrel(e, 0, 1);
}
MUT(rel_offset_text) {
  Elf64_Rela *r = any_symrel(e);
  Elf64_Phdr *t = load_with(e, PF_X, 0);
  return r && t ? (r->r_offset = t->p_vaddr + 0x10, 0) : -1;
}
MUT(rel_offset_rodata) {
  Elf64_Rela *r = rela_of(e, R->relative);
  uint64_t s = dval(e, DT_SYMTAB);
  return r && s ? (r->r_offset = s, 0) : -1;
}
MUT(rel_offset_past_end) {
  Elf64_Rela *r = rela_of(e, R->relative);
  return r ? (r->r_offset = outside(e), 0) : -1;
}
MUT(rel_offset_huge) {
  Elf64_Rela *r = rela_of(e, R->relative);
  return r ? (r->r_offset = UINT64_MAX - 3, 0) : -1;
}
MUT(rel_offset_straddle) { /* 8 bytes written, 4 of them past the last segment */
  Elf64_Rela *r = rela_of(e, R->relative);
  Elf64_Phdr *l = last_load(e);
  return r && l ? (r->r_offset = l->p_vaddr + l->p_memsz - 4, 0) : -1;
}
MUT(rel_jmprel_offset_text) {
  Elf64_Rela *r = rela_of(e, R->jump_slot);
  Elf64_Phdr *t = load_with(e, PF_X, 0);
  return r && t ? (r->r_offset = t->p_vaddr, 0) : -1;
}
MUT(rel_sym_range) {
  Elf64_Rela *r = any_symrel(e);
  return r ? (r->r_info = ELF64_R_INFO(0xffffff, ELF64_R_TYPE(r->r_info)), 0) : -1;
}
static int retype(Elf *e, uint32_t type) {
  Elf64_Rela *r = any_symrel(e);
  return r ? (r->r_info = ELF64_R_INFO(ELF64_R_SYM(r->r_info), type), 0) : -1;
}
MUT(rel_type_unknown) { return retype(e, 200); }
MUT(rel_type_copy) { return retype(e, R->copy); }
/* TLS relocations against symbols that are not STT_TLS. */
static int retype_own(Elf *e, uint32_t type) {
  Elf64_Rela *r = symrel(e, R->glob_dat, 1);
  return r ? (r->r_info = ELF64_R_INFO(ELF64_R_SYM(r->r_info), type), 0) : -1;
}
static int retype_import(Elf *e, uint32_t type) {
  Elf64_Rela *r = symrel(e, 0, 0);
  return r ? (r->r_info = ELF64_R_INFO(ELF64_R_SYM(r->r_info), type), 0) : -1;
}
MUT(rel_type_dtpmod64) { return retype_own(e, R->dtpmod64); }
MUT(rel_type_tpoff64) { return retype_own(e, R->tpoff64); }
MUT(rel_type_tlsdesc) { return retype_own(e, R->tlsdesc); }
MUT(rel_type_dtpoff64_import) { return retype_import(e, R->dtpoff64); }
MUT(rel_tls_no_pt_tls) { /* DTPMOD64 of the module itself (symbol 0), which has no PT_TLS */
  Elf64_Rela *r = rela_of(e, R->relative);
  return r ? (r->r_info = ELF64_R_INFO(0, R->dtpmod64), 0) : -1;
}
MUT(rel_type_static_only) { return retype(e, R->static_only); } /* GOTPCREL, ADR_GOT_PAGE */
MUT(rel_type_none) { /* harmless: the word stays as linked */
  Elf64_Rela *r = symrel(e, R->abs64, 0);
  return r ? (r->r_info = ELF64_R_INFO(0, R->none), 0) : -1;
}
MUT(rel_pc32_overflow) { /* S + A - P from the plugin to the (far) host */
  Elf64_Rela *r = symrel(e, 0, 0);
  return r ? (r->r_info = ELF64_R_INFO(ELF64_R_SYM(r->r_info), R->pc32), 0) : -1;
}
MUT(rel_irelative_data) { /* resolver address in a data segment */
  Elf64_Rela *r = rela_of(e, R->relative);
  Elf64_Phdr *w = load_with(e, PF_W, PF_X);
  if (!r || !w) return -1;
  r->r_info = ELF64_R_INFO(0, R->irelative), r->r_addend = (int64_t)w->p_vaddr;
  return 0;
}

/* Holes: the executable segment cut to its first page; the pages after it
 * stay reserved (PROT_NONE) inside the image, and a table pointed there. */
static int make_hole(Elf *e, uint64_t *hole) {
  Elf64_Phdr *t = load_with(e, PF_X, 0);
  if (!t) return -1;
  uint64_t first_end = (t->p_vaddr + PAGE) & ~(PAGE - 1);
  if (t->p_vaddr + t->p_memsz < first_end + 2 * PAGE) return -1; /* need >= 2 pages of hole */
  t->p_filesz = t->p_memsz = first_end - t->p_vaddr;
  *hole = first_end + 0x100;
  /* DT_INIT/DT_FINI (ld.bfd puts .fini after .text) stay in the mapped page. */
  int64_t code[2] = {DT_INIT, DT_FINI};
  for (int i = 0; i < 2; i++) {
    Elf64_Dyn *d = dyn(e, code[i]);
    if (d && d->d_un.d_ptr >= first_end) d->d_un.d_ptr = t->p_vaddr;
  }
  return 0;
}
MUT(hole_control) { uint64_t h; return make_hole(e, &h); }
#define HOLE(fn, tag) \
  MUT(fn) { uint64_t h; return make_hole(e, &h) || set_ptr(e, tag, h); }
HOLE(hole_gnu_hash, DT_GNU_HASH)
HOLE(hole_hash, DT_HASH)
HOLE(hole_versym, DT_VERSYM)
HOLE(hole_verdef, DT_VERDEF)
HOLE(hole_verneed, DT_VERNEED)
HOLE(hole_strtab, DT_STRTAB)
HOLE(hole_rela, DT_RELA)
HOLE(hole_init_array, DT_INIT_ARRAY)
MUT(hole_symtab_straddle) { /* the first symbol mapped, the rest in the hole */
  uint64_t h;
  if (make_hole(e, &h)) return -1;
  return set_ptr(e, DT_SYMTAB, (h & ~(PAGE - 1)) - sizeof(Elf64_Sym));
}

/* ---- the mutation list ------------------------------------------------------- */

typedef struct {
  const char *name;
  const char *flavors; /* comma-separated */
  MutFn fn;
} Mutation;

#define G "gnu"
#define ALL "gnu,sysv,glibc"
static const Mutation kMutations[] = {
    {"hdr-bad-magic", G, hdr_bad_magic},
    {"hdr-class32", G, hdr_class32},
    {"hdr-classnone", G, hdr_classnone},
    {"hdr-msb", G, hdr_msb},
    {"hdr-data-none", G, hdr_data_none},
    {"hdr-ident-version", G, hdr_ident_version},
    {"hdr-e-version", G, hdr_e_version},
    {"hdr-osabi", G, hdr_osabi},
    {"hdr-other-machine", G, hdr_other_machine},
    {"hdr-i386", G, hdr_i386},
    {"hdr-machine-unknown", G, hdr_machine_unknown},
    {"hdr-et-exec", G, hdr_et_exec},
    {"hdr-et-rel", G, hdr_et_rel},
    {"hdr-et-core", G, hdr_et_core},
    {"hdr-et-none", G, hdr_et_none},
    {"hdr-phentsize-32", G, hdr_phentsize_32},
    {"hdr-phentsize-64", G, hdr_phentsize_64},
    {"hdr-phnum-0", G, hdr_phnum_0},
    {"hdr-phnum-65535", G, hdr_phnum_65535},
    {"hdr-phnum-past-eof", G, hdr_phnum_past_eof},
    {"hdr-phoff-past-eof", G, hdr_phoff_past_eof},
    {"hdr-phoff-huge", G, hdr_phoff_huge},
    {"hdr-shoff-garbage", "gnu,glibc", hdr_shoff_garbage},
    {"hdr-entry-garbage", G, hdr_entry_garbage},
    {"hdr-ehsize-garbage", G, hdr_ehsize_garbage},

    {"load-overlap", ALL, load_overlap},
    {"load-out-of-order", ALL, load_out_of_order},
    {"load-misaligned", ALL, load_misaligned},
    {"load-align-not-pow2", G, load_align_not_pow2},
    {"load-align-huge", G, load_align_huge},
    {"load-align-zero", "gnu,glibc", load_align_zero},
    {"load-filesz-gt-memsz", G, load_filesz_gt_memsz},
    {"load-memsz-2p47", G, load_memsz_2p47},
    {"load-memsz-2p63", G, load_memsz_2p63},
    {"load-memsz-max", G, load_memsz_max},
    {"load-memsz-first-max", G, load_memsz_first_max},
    {"load-filesz-past-eof", "gnu,glibc", load_filesz_past_eof},
    {"load-offset-huge", G, load_offset_huge},
    {"load-vaddr-huge", G, load_vaddr_huge},
    {"load-wx", "gnu,glibc", load_wx},
    {"load-noread-tables", "gnu,glibc", load_noread_tables},
    {"load-noread-dynamic", "gnu,glibc", load_noread_dynamic},
    {"load-none", G, load_none},
    {"load-all-memsz-zero", G, load_all_memsz_zero},

    {"phdr-no-dynamic", G, phdr_no_dynamic},
    {"phdr-two-dynamic", G, phdr_two_dynamic},
    {"phdr-dynamic-outside", G, phdr_dynamic_outside},
    {"phdr-dynamic-straddle", G, phdr_dynamic_straddle},
    {"phdr-dynamic-tiny", G, phdr_dynamic_tiny},
    {"phdr-unknown-type", "gnu,glibc", phdr_unknown_type},
    {"stack-exec", "gnu,glibc", stack_exec},
    {"relro-over-text", "gnu,glibc", relro_over_text},
    {"relro-outside", G, relro_outside},
    {"tls-zero", G, tls_zero},
    {"tls-huge", G, tls_huge},
    {"tls-two", G, tls_two},
    {"tls-filesz-gt-memsz", G, tls_filesz_gt_memsz},
    {"tls-align-not-pow2", G, tls_align_not_pow2},
    {"tls-image-outside", G, tls_image_outside},

    {"dyn-strtab-outside", G, dyn_strtab_outside},
    {"dyn-symtab-outside", G, dyn_symtab_outside},
    {"dyn-rela-outside", G, dyn_rela_outside},
    {"dyn-jmprel-outside", G, dyn_jmprel_outside},
    {"dyn-gnu-hash-outside", "gnu,glibc", dyn_gnu_hash_outside},
    {"dyn-hash-outside", "sysv", dyn_hash_outside},
    {"dyn-init-array-outside", G, dyn_init_array_outside},
    {"dyn-fini-array-outside", G, dyn_fini_array_outside},
    {"dyn-versym-outside", G, dyn_versym_outside},
    {"dyn-verneed-outside", "glibc", dyn_verneed_outside},
    {"dyn-verdef-outside", G, dyn_verdef_outside},
    {"dyn-init-outside", G, dyn_init_outside},
    {"dyn-fini-outside", G, dyn_fini_outside},
    {"dyn-symtab-wrap", G, dyn_symtab_wrap},
    {"dyn-strtab-wrap", G, dyn_strtab_wrap},
    {"dyn-init-in-data", "gnu,glibc", dyn_init_in_data},
    {"dyn-fini-in-data", G, dyn_fini_in_data},
    {"dyn-init-added-in-rodata", "sysv", dyn_init_added_in_rodata},
    {"dyn-relasz-huge", G, dyn_relasz_huge},
    {"dyn-relasz-odd", G, dyn_relasz_odd},
    {"dyn-relasz-max", G, dyn_relasz_max},
    {"dyn-relaent", G, dyn_relaent},
    {"dyn-pltrelsz-huge", G, dyn_pltrelsz_huge},
    {"dyn-pltrel-bad", G, dyn_pltrel_bad},
    {"dyn-strsz-huge", G, dyn_strsz_huge},
    {"dyn-strsz-max", G, dyn_strsz_max},
    {"dyn-syment", G, dyn_syment},
    {"dyn-init-arraysz-huge", G, dyn_init_arraysz_huge},
    {"dyn-init-arraysz-odd", G, dyn_init_arraysz_odd},
    {"dyn-fini-arraysz-huge", G, dyn_fini_arraysz_huge},
    {"dyn-verdefnum-zero", G, dyn_verdefnum_zero},
    {"dyn-verdefnum-huge", G, dyn_verdefnum_huge},
    {"dyn-verneednum-huge", "glibc", dyn_verneednum_huge},
    {"dyn-no-null", ALL, dyn_no_null},
    {"dyn-no-symtab", G, dyn_no_symtab},
    {"dyn-no-strtab", G, dyn_no_strtab},
    {"dyn-no-hash", "gnu,sysv", dyn_no_hash},
    {"dyn-textrel", "gnu,glibc", dyn_textrel},
    {"dyn-df-textrel", "gnu,glibc", dyn_df_textrel},
    {"dyn-noopen", "gnu,glibc", dyn_noopen},
    {"dyn-symbolic", G, dyn_symbolic},
    {"dyn-unknown-tag", G, dyn_unknown_tag},
    {"dyn-needed-str", "gnu,glibc", dyn_needed_str},
    {"dyn-needed-strsz", G, dyn_needed_strsz},
    {"dyn-filter-str", "gnu,glibc", dyn_filter_str},
    {"dyn-auxiliary-str", "gnu,glibc", dyn_auxiliary_str},
    {"dyn-soname-str", "gnu,glibc", dyn_soname_str},
    {"dyn-runpath-str", "gnu,glibc", dyn_runpath_str},

    {"sym-name-range", "gnu,glibc", sym_name_range},
    {"sym-undefined", "gnu,glibc", sym_undefined},
    {"sym-ifunc-in-data", "gnu,glibc", sym_ifunc_in_data},
    {"verdef-version", "gnu,glibc", verdef_version},
    {"verdef-cnt-zero", G, verdef_cnt_zero},
    {"verdef-next-zero", G, verdef_next_zero},
    {"verdef-next-huge", G, verdef_next_huge},
    {"verdaux-name", "gnu,glibc", verdaux_name},
    {"verneed-version", "glibc", verneed_version},
    {"verneed-file", "glibc", verneed_file},
    {"verneed-aux-huge", "glibc", verneed_aux_huge},
    {"vernaux-name", "glibc", vernaux_name},
    {"versym-bad-index", "glibc", versym_bad_index},

    {"gnuhash-nbuckets-zero", "gnu,glibc", gnuhash_nbuckets_zero},
    {"gnuhash-nbuckets-huge", G, gnuhash_nbuckets_huge},
    {"gnuhash-bloom-zero-size", "gnu,glibc", gnuhash_bloom_zero_size},
    {"gnuhash-bloom-not-pow2", G, gnuhash_bloom_not_pow2},
    {"gnuhash-bloom-huge", G, gnuhash_bloom_huge},
    {"gnuhash-bloom-shift-64", G, gnuhash_bloom_shift_64},
    {"gnuhash-symoffset-huge", "gnu,glibc", gnuhash_symoffset_huge},
    {"gnuhash-bucket-huge", "gnu,glibc", gnuhash_bucket_huge},
    {"gnuhash-bucket-below-symoffset", G, gnuhash_bucket_below_symoffset},
    {"gnuhash-bloom-cleared", "gnu,glibc", gnuhash_bloom_cleared},
    {"gnuhash-chain-unterminated", "gnu,glibc", gnuhash_chain_unterminated},
    {"sysvhash-nbucket-zero", "sysv,glibc", sysvhash_nbucket_zero},
    {"sysvhash-nbucket-huge", "sysv", sysvhash_nbucket_huge},
    {"sysvhash-nchain-huge", "sysv", sysvhash_nchain_huge},
    {"sysvhash-nchain-small", "sysv", sysvhash_nchain_small},
    {"sysvhash-bucket-range", "sysv", sysvhash_bucket_range},
    {"sysvhash-chain-range", "sysv", sysvhash_chain_range},
    {"sysvhash-chain-cycle", "sysv", sysvhash_chain_cycle},

    {"rel-offset-text", "gnu,glibc", rel_offset_text},
    {"rel-offset-rodata", G, rel_offset_rodata},
    {"rel-offset-past-end", G, rel_offset_past_end},
    {"rel-offset-huge", G, rel_offset_huge},
    {"rel-offset-straddle", G, rel_offset_straddle},
    {"rel-jmprel-offset-text", G, rel_jmprel_offset_text},
    {"rel-sym-range", "gnu,glibc", rel_sym_range},
    {"rel-type-unknown", G, rel_type_unknown},
    {"rel-type-copy", G, rel_type_copy},
    {"rel-type-dtpmod64", G, rel_type_dtpmod64},
    {"rel-type-tpoff64", G, rel_type_tpoff64},
    {"rel-type-tlsdesc", G, rel_type_tlsdesc},
    {"rel-type-dtpoff64-import", "gnu,glibc", rel_type_dtpoff64_import},
    {"rel-tls-no-pt-tls", G, rel_tls_no_pt_tls},
    {"rel-type-static-only", G, rel_type_static_only},
    {"rel-type-none", G, rel_type_none},
    {"rel-pc32-overflow", "gnu,glibc", rel_pc32_overflow},
    {"rel-irelative-data", "gnu,glibc", rel_irelative_data},

    {"hole-control", ALL, hole_control},
    {"hole-gnu-hash", "gnu,glibc", hole_gnu_hash},
    {"hole-hash", "sysv", hole_hash},
    {"hole-versym", "gnu,glibc", hole_versym},
    {"hole-verdef", G, hole_verdef},
    {"hole-verneed", "glibc", hole_verneed},
    {"hole-strtab", G, hole_strtab},
    {"hole-rela", G, hole_rela},
    {"hole-init-array", G, hole_init_array},
    {"hole-symtab-straddle", "gnu,sysv", hole_symtab_straddle},
};

/* ---- output ------------------------------------------------------------------ */

typedef struct {
  char *pattern, *text;
  int used;
} Expect;
static Expect *expects;
static size_t nexpects;
static const char *outdir;
static FILE *manifest;
static int nfiles, errors;

static void die(const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  fprintf(stderr, "corpus_gen: ");
  vfprintf(stderr, fmt, ap);
  fprintf(stderr, "\n");
  va_end(ap);
  exit(1);
}

static int is_overridden(const char *pattern, size_t n) {
  for (size_t i = 0; i < n; i++)
    if (!strcmp(expects[i].pattern, pattern)) return 1;
  return 0;
}

/* Lines of an earlier file (the first `keep` entries) win over this one's. */
static void load_expected(const char *path, size_t keep) {
  FILE *f = fopen(path, "r");
  if (!f) die("%s: %s", path, strerror(errno));
  char line[1024];
  while (fgets(line, sizeof line, f)) {
    line[strcspn(line, "\r\n")] = 0;
    if (!line[0] || line[0] == '#') continue;
    char *tab = strchr(line, '\t');
    if (!tab || !tab[1]) die("%s: bad line (want pattern<TAB>text): %s", path, line);
    *tab = 0;
    if (is_overridden(line, keep)) continue;
    expects = realloc(expects, (nexpects + 1) * sizeof *expects);
    if (!expects) die("out of memory");
    expects[nexpects].pattern = strdup(line);
    expects[nexpects].text = strdup(tab + 1);
    expects[nexpects++].used = 0;
  }
  fclose(f);
}

/* Writes <outdir>/<flavor>.<name>.so (the first n bytes of b). */
static void emit(const char *flavor, const char *name, const unsigned char *b, size_t n) {
  char key[256], path[4096];
  snprintf(key, sizeof key, "%s.%s", flavor, name);
  Expect *x = NULL;
  for (size_t i = 0; i < nexpects && !x; i++)
    if (!fnmatch(expects[i].pattern, key, 0)) x = &expects[i];
  if (!x) {
    fprintf(stderr, "corpus_gen: %s: no pattern in the expected table\n", key);
    errors++;
    return;
  }
  x->used = 1;
  snprintf(path, sizeof path, "%s/%s.so", outdir, key);
  FILE *f = fopen(path, "wb");
  if (!f || (n && fwrite(b, 1, n, f) != n) || fclose(f)) die("%s: %s", path, strerror(errno));
  fprintf(manifest, "%s.so\t%s\n", key, x->text);
  nfiles++;
}

static int has_flavor(const char *list, const char *flavor) {
  size_t fl = strlen(flavor);
  for (const char *p = list; *p;) {
    size_t l = strcspn(p, ",");
    if (l == fl && !strncmp(p, flavor, l)) return 1;
    p += l + (p[l] == ',');
  }
  return 0;
}

/* Truncations at each header and segment boundary; duplicate cut points
 * (a segment starting where the headers end, say) are written once. */
static void truncations(const char *flavor, const unsigned char *b, size_t n) {
  Elf e = {(unsigned char *)b, n, 0, 0, 0, 0, 0};
  if (parse(&e)) die("%s: not a parsable ELF64 LE shared object", flavor);
  struct {
    char name[64];
    uint64_t at;
  } cuts[64];
  int nc = 0;
#define CUT(off, ...) \
  do { \
    if (nc < 64 && (off) < n) { snprintf(cuts[nc].name, sizeof cuts[nc].name, __VA_ARGS__); cuts[nc++].at = (off); } \
  } while (0)
  uint64_t phend = e.eh->e_phoff + (uint64_t)e.phnum * sizeof(Elf64_Phdr);
  CUT(0, "trunc-empty");
  CUT(EI_NIDENT / 2, "trunc-ident");
  CUT(sizeof(Elf64_Ehdr) / 2, "trunc-ehdr-mid");
  CUT(sizeof(Elf64_Ehdr) - 1, "trunc-ehdr-end");
  CUT(e.eh->e_phoff + sizeof(Elf64_Phdr) / 2, "trunc-phdr-first");
  CUT(e.eh->e_phoff + (uint64_t)(e.phnum / 2) * sizeof(Elf64_Phdr), "trunc-phdr-mid");
  CUT(phend - 1, "trunc-phdr-last");
  CUT(phend, "trunc-phdr-end");
  uint64_t segend = 0;
  for (int k = 0; phdr(&e, PT_LOAD, k); k++) {
    Elf64_Phdr *l = phdr(&e, PT_LOAD, k);
    CUT(l->p_offset, "trunc-load%d-start", k);
    CUT(l->p_offset + l->p_filesz / 2, "trunc-load%d-mid", k);
    if (l->p_filesz) CUT(l->p_offset + l->p_filesz - 1, "trunc-load%d-last", k);
    if (l->p_offset + l->p_filesz > segend) segend = l->p_offset + l->p_filesz;
  }
  Elf64_Phdr *d = phdr(&e, PT_DYNAMIC, 0);
  CUT(d->p_offset, "trunc-dynamic-start");
  CUT(d->p_offset + d->p_filesz / 2, "trunc-dynamic-mid");
  CUT(segend, "trunc-after-segments");
#undef CUT
  for (int i = 0; i < nc; i++) {
    int dup = 0;
    for (int j = 0; j < i; j++) dup |= cuts[j].at == cuts[i].at;
    if (!dup) emit(flavor, cuts[i].name, b, cuts[i].at);
  }
}

static void mutate_all(const char *flavor, const unsigned char *orig, size_t n) {
  unsigned char *b = malloc(n);
  if (!b) die("out of memory");
  uint16_t machine = n >= sizeof(Elf64_Ehdr) ? ((const Elf64_Ehdr *)orig)->e_machine : 0;
  if (machine == EM_X86_64) R = &kX86_64;
  else if (machine == EM_AARCH64) R = &kAArch64;
  else die("%s: e_machine %u is neither x86_64 nor aarch64", flavor, machine);
  emit(flavor, "base", orig, n);
  truncations(flavor, orig, n);
  for (size_t i = 0; i < sizeof kMutations / sizeof kMutations[0]; i++) {
    const Mutation *m = &kMutations[i];
    if (!has_flavor(m->flavors, flavor)) continue;
    memcpy(b, orig, n);
    Elf e = {b, n, 0, 0, 0, 0, 0};
    if (parse(&e)) die("%s: not a parsable ELF64 LE shared object", flavor);
    if (m->fn(&e)) {
      fprintf(stderr, "corpus_gen: mutation %s does not apply to the %s plugin\n", m->name, flavor);
      errors++;
      continue;
    }
    emit(flavor, m->name, b, n);
  }
  free(b);
}

/* The pattern names a flavor that was not given (no system gcc: no glibc
 * flavor), so it cannot be used. argv entries are "flavor" by now. */
static int other_flavor(const char *pattern, int n, char **flavors) {
  size_t l = strcspn(pattern, ".");
  if (strcspn(pattern, "*?[") < l) return 0;
  for (int i = 0; i < n; i++)
    if (strlen(flavors[i]) == l && !strncmp(flavors[i], pattern, l)) return 0;
  return 1;
}

int main(int argc, char **argv) {
  if (argc >= 3 && !strcmp(argv[1], "-a")) {
    load_expected(argv[2], 0);
    argc -= 2, argv += 2;
  }
  if (argc < 4) {
    fprintf(stderr, "usage: corpus_gen [-a ARCH.tsv] EXPECTED.tsv OUTDIR FLAVOR=PLUGIN.so...\n");
    return 2;
  }
  load_expected(argv[1], nexpects);
  outdir = argv[2];
  mkdir(outdir, 0755);
  char mpath[4096];
  snprintf(mpath, sizeof mpath, "%s/manifest.tsv", outdir);
  manifest = fopen(mpath, "w");
  if (!manifest) die("%s: %s", mpath, strerror(errno));
  fprintf(manifest, "# generated by corpus_gen from %s: <file>\\t<expected dlerror text ('*': any) | LOADS>\n",
          argv[1]);
  for (int i = 3; i < argc; i++) {
    char *eq = strchr(argv[i], '=');
    if (!eq) die("argument %s: want FLAVOR=PLUGIN.so", argv[i]);
    *eq = 0;
    FILE *f = fopen(eq + 1, "rb");
    if (!f) die("%s: %s", eq + 1, strerror(errno));
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    rewind(f);
    unsigned char *b = malloc((size_t)n);
    if (n <= 0 || !b || fread(b, 1, (size_t)n, f) != (size_t)n) die("%s: cannot read", eq + 1);
    fclose(f);
    mutate_all(argv[i], b, (size_t)n);
    free(b);
  }
  for (size_t i = 0; i < nexpects; i++)
    if (!expects[i].used && !other_flavor(expects[i].pattern, argc - 3, argv + 3)) {
      fprintf(stderr, "corpus_gen: pattern %s in the expected table matches no file\n", expects[i].pattern);
      errors++;
    }
  if (fclose(manifest)) die("%s: %s", mpath, strerror(errno));
  if (errors) {
    remove(mpath); /* so the build step reruns */
    return 1;
  }
  printf("corpus_gen: %d files in %s\n", nfiles, outdir);
  return 0;
}
