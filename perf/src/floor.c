/* Floors: the least work any loader has to do to load an object, with
 * nothing a loader could leave out. Maps the file's PT_LOAD segments the way
 * a loader does (one reservation, one MAP_FIXED file mapping per segment,
 * anonymous pages for .bss) and writes relocated words. No validation, no
 * symbol tables or lookups, no TLS, no RELRO, no constructors.
 *
 *   floor <plugin> [<warm-plugin>]
 *       perf case 2, a RELATIVE-only plugin: applies every
 *       R_X86_64_RELATIVE in DT_RELA naively (a write fault per page).
 *       Prints `value <ns>` (open .. last relocated word) and
 *       `relative <count>`. <warm-plugin> is loaded the same way first,
 *       untimed, as the bench hosts dlopen a small plugin before timing.
 *
 *   floor --all <warm-plugin|-> <file>...
 *       the real libraries (perf/hybrid): every file of a library's load
 *       (the library and the dependencies a loader maps for it), timed
 *       together. Per file, the pages that relocations write (every entry
 *       of DT_RELA and DT_JMPREL, and DT_RELR) are made private in one
 *       MADV_POPULATE_WRITE per run of pages, the cheapest way on the
 *       machines measured (perf/RESULTS.md, "What a page costs"), then
 *       every relocated word is written (load bias + addend: the value does
 *       not change the cost). Prints `value <ns>`, `relocations <count>`
 *       and `pages <count>` (pages made private).
 */
#define _GNU_SOURCE
#include <elf.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

static double now_ns(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec * 1e9 + (double)ts.tv_nsec;
}

#define PG 4096UL
#define DOWN(x) ((x) & ~(PG - 1))
#define UP(x) (((x) + PG - 1) & ~(PG - 1))

static int prot_of(uint32_t f) {
  return (f & PF_R ? PROT_READ : 0) | (f & PF_W ? PROT_WRITE : 0) | (f & PF_X ? PROT_EXEC : 0);
}

#ifndef MADV_POPULATE_WRITE
#define MADV_POPULATE_WRITE 23
#endif
#ifndef DT_RELR
#define DT_RELRSZ 35
#define DT_RELR 36
#endif

/* What a mapped object's relocations need. */
struct object {
  uintptr_t bias, lo, hi;
  uintptr_t rela, relasz, jmprel, pltrelsz, relr, relrsz;
};

/* Maps `path` as a loader does; returns 0, or -1 with a message. */
static int map_object(const char* path, struct object* o) {
  int fd = open(path, O_RDONLY | O_CLOEXEC);
  if (fd < 0) return perror(path), -1;
  Elf64_Ehdr eh;
  Elf64_Phdr ph[32];
  if (pread(fd, &eh, sizeof eh, 0) != sizeof eh || eh.e_phnum > 32 ||
      pread(fd, ph, eh.e_phnum * sizeof *ph, (off_t)eh.e_phoff) != (ssize_t)(eh.e_phnum * sizeof *ph))
    return fprintf(stderr, "floor: %s: bad ELF\n", path), close(fd), -1;
  uintptr_t lo = UINTPTR_MAX, hi = 0;
  for (int i = 0; i < eh.e_phnum; i++)
    if (ph[i].p_type == PT_LOAD) {
      if (DOWN(ph[i].p_vaddr) < lo) lo = DOWN(ph[i].p_vaddr);
      if (UP(ph[i].p_vaddr + ph[i].p_memsz) > hi) hi = UP(ph[i].p_vaddr + ph[i].p_memsz);
    }
  char* base = mmap(NULL, hi - lo, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
  if (base == MAP_FAILED) return perror("mmap"), close(fd), -1;
  memset(o, 0, sizeof *o);
  o->bias = (uintptr_t)base - lo;
  o->lo = (uintptr_t)base, o->hi = (uintptr_t)base + (hi - lo);
  const Elf64_Dyn* dyn = NULL;
  for (int i = 0; i < eh.e_phnum; i++) {
    const Elf64_Phdr* p = &ph[i];
    if (p->p_type == PT_DYNAMIC) dyn = (const Elf64_Dyn*)(o->bias + p->p_vaddr);
    if (p->p_type != PT_LOAD) continue;
    uintptr_t start = DOWN(o->bias + p->p_vaddr), fend = o->bias + p->p_vaddr + p->p_filesz;
    uintptr_t mend = o->bias + p->p_vaddr + p->p_memsz;
    int prot = prot_of(p->p_flags);
    if (mmap((void*)start, UP(fend) - start, prot, MAP_PRIVATE | MAP_FIXED, fd, (off_t)DOWN(p->p_offset)) == MAP_FAILED)
      return perror("mmap segment"), close(fd), -1;
    if (mend > fend) {
      if ((prot & PROT_WRITE) && UP(fend) > fend) memset((void*)fend, 0, UP(fend) - fend);
      if (UP(mend) > UP(fend) &&
          mmap((void*)UP(fend), UP(mend) - UP(fend), prot, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0) == MAP_FAILED)
        return perror("mmap bss"), close(fd), -1;
    }
  }
  close(fd);
  for (const Elf64_Dyn* d = dyn; d && d->d_tag != DT_NULL; d++) {
    switch (d->d_tag) {
      case DT_RELA: o->rela = o->bias + d->d_un.d_ptr; break;
      case DT_RELASZ: o->relasz = d->d_un.d_val; break;
      case DT_JMPREL: o->jmprel = o->bias + d->d_un.d_ptr; break;
      case DT_PLTRELSZ: o->pltrelsz = d->d_un.d_val; break;
      case DT_RELR: o->relr = o->bias + d->d_un.d_ptr; break;
      case DT_RELRSZ: o->relrsz = d->d_un.d_val; break;
    }
  }
  return 0;
}

/* Perf case 2: every RELATIVE in DT_RELA, naively. Returns the count. */
static long relocate_relative(const struct object* o) {
  long n = 0;
  const Elf64_Rela* r = (const Elf64_Rela*)o->rela;
  for (size_t i = 0; i < o->relasz / sizeof *r; i++)
    if (ELF64_R_TYPE(r[i].r_info) == R_X86_64_RELATIVE) {
      *(uint64_t*)(o->bias + r[i].r_offset) = o->bias + (uint64_t)r[i].r_addend;
      n++;
    }
  return n;
}

/* Calls visit(o, address, addend, arg) for every word the relocations of
 * o write: DT_RELA, DT_JMPREL, then DT_RELR (addend 0: add the bias). A
 * place outside the object is skipped. */
typedef void (*visit_fn)(const struct object* o, uintptr_t at, uint64_t addend, void* arg);
static long each_relocated_word(const struct object* o, visit_fn visit, void* arg) {
  long n = 0;
  const uintptr_t tables[2][2] = {{o->rela, o->relasz}, {o->jmprel, o->pltrelsz}};
  for (int t = 0; t < 2; t++) {
    const Elf64_Rela* r = (const Elf64_Rela*)tables[t][0];
    for (size_t i = 0; r && i < tables[t][1] / sizeof *r; i++) {
      uintptr_t at = o->bias + r[i].r_offset;
      if (at >= o->lo && at + 8 <= o->hi) visit(o, at, (uint64_t)r[i].r_addend, arg), n++;
    }
  }
  const uint64_t* rr = (const uint64_t*)o->relr;
  uintptr_t where = 0;
  for (size_t i = 0; rr && i < o->relrsz / 8; i++) {
    uint64_t e = rr[i];
    if (!(e & 1)) {
      where = o->bias + e;
      if (where >= o->lo && where + 8 <= o->hi) visit(o, where, 0, arg), n++;
      where += 8;
      continue;
    }
    for (int k = 0; (e >>= 1) != 0; k++)
      if ((e & 1) && where + 8 * k >= o->lo && where + 8 * k + 8 <= o->hi) visit(o, where + 8 * k, 0, arg), n++;
    where += 63 * 8;
  }
  return n;
}

static void mark_page(const struct object* o, uintptr_t at, uint64_t addend, void* arg) {
  (void)addend;
  unsigned char* pages = arg;
  pages[(at - o->lo) / PG] = 1;
}

static void write_word(const struct object* o, uintptr_t at, uint64_t addend, void* arg) {
  (void)arg;
  *(uint64_t*)at = addend ? o->bias + addend : *(uint64_t*)at + o->bias;
}

/* --all: populates the written pages, a run at a time, then writes every
 * relocated word. Returns the relocations applied (pages made private
 * added to *pages), or -1. */
static long relocate_all(const struct object* o, long* pages) {
  size_t np = (o->hi - o->lo) / PG;
  unsigned char* marks = calloc(np ? np : 1, 1);
  if (!marks) return fprintf(stderr, "floor: out of memory\n"), -1;
  each_relocated_word(o, mark_page, marks);
  for (size_t i = 0; i < np;) {
    if (!marks[i]) {
      i++;
      continue;
    }
    size_t j = i;
    while (j < np && marks[j]) j++;
    if (madvise((void*)(o->lo + i * PG), (j - i) * PG, MADV_POPULATE_WRITE) != 0)
      return perror("madvise"), free(marks), -1;
    *pages += (long)(j - i);
    i = j;
  }
  free(marks);
  return each_relocated_word(o, write_word, NULL);
}

static long load(const char* path, int all, long* pages) {
  struct object o;
  if (map_object(path, &o) != 0) return -1;
  return all ? relocate_all(&o, pages) : relocate_relative(&o);
}

static int usage(void) {
  fprintf(stderr, "usage: floor <plugin.so> [<warm-plugin.so>]\n"
                  "       floor --all <warm-plugin.so|-> <file.so>...\n");
  return 2;
}

int main(int argc, char** argv) {
  long pages = 0;
  if (argc >= 4 && !strcmp(argv[1], "--all")) {
    if (strcmp(argv[2], "-") != 0 && load(argv[2], 1, &pages) < 0) return 1;
    pages = 0;
    long n = 0;
    double t0 = now_ns();
    for (int i = 3; i < argc; i++) {
      long k = load(argv[i], 1, &pages);
      if (k < 0) return 1;
      n += k;
    }
    double t1 = now_ns();
    printf("value %.0f\nrelocations %ld\npages %ld\n", t1 - t0, n, pages);
    return 0;
  }
  if (argc != 2 && argc != 3) return usage();
  if (argc == 3 && load(argv[2], 0, &pages) < 0) return 1;
  double t0 = now_ns();
  long n = load(argv[1], 0, &pages);
  double t1 = now_ns();
  if (n < 0) return 1;
  printf("value %.0f\nrelative %ld\n", t1 - t0, n);
  return 0;
}
