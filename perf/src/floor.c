/* The floor for loading a RELATIVE-only plugin (perf case 2): the least
 * work any loader has to do. Maps the file's PT_LOAD segments the way a
 * loader does (one reservation, one MAP_FIXED file mapping per segment,
 * anonymous pages for .bss) and applies every R_X86_64_RELATIVE in
 * DT_RELA naively. No validation, no symbol tables, no RELRO, no
 * constructors.
 *
 *   floor <plugin> [<warm-plugin>]
 *       prints `value <ns>` (open .. last relocated word) and
 *       `relative <count>`. <warm-plugin> is loaded the same way first,
 *       untimed, as the bench hosts dlopen a small plugin before timing.
 */
#define _GNU_SOURCE
#include <elf.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
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

/* Maps and relocates `path`; returns the number of RELATIVE relocations
 * applied, or -1. */
static long load(const char* path) {
  int fd = open(path, O_RDONLY | O_CLOEXEC);
  if (fd < 0) return perror(path), -1;
  Elf64_Ehdr eh;
  Elf64_Phdr ph[32];
  if (pread(fd, &eh, sizeof eh, 0) != sizeof eh || eh.e_phnum > 32 ||
      pread(fd, ph, eh.e_phnum * sizeof *ph, (off_t)eh.e_phoff) != (ssize_t)(eh.e_phnum * sizeof *ph))
    return fprintf(stderr, "floor: bad ELF\n"), -1;
  uintptr_t lo = UINTPTR_MAX, hi = 0;
  for (int i = 0; i < eh.e_phnum; i++)
    if (ph[i].p_type == PT_LOAD) {
      if (DOWN(ph[i].p_vaddr) < lo) lo = DOWN(ph[i].p_vaddr);
      if (UP(ph[i].p_vaddr + ph[i].p_memsz) > hi) hi = UP(ph[i].p_vaddr + ph[i].p_memsz);
    }
  char* base = mmap(NULL, hi - lo, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
  if (base == MAP_FAILED) return perror("mmap"), -1;
  uintptr_t bias = (uintptr_t)base - lo;
  const Elf64_Dyn* dyn = NULL;
  for (int i = 0; i < eh.e_phnum; i++) {
    const Elf64_Phdr* p = &ph[i];
    if (p->p_type == PT_DYNAMIC) dyn = (const Elf64_Dyn*)(bias + p->p_vaddr);
    if (p->p_type != PT_LOAD) continue;
    uintptr_t start = DOWN(bias + p->p_vaddr), fend = bias + p->p_vaddr + p->p_filesz;
    uintptr_t mend = bias + p->p_vaddr + p->p_memsz;
    int prot = prot_of(p->p_flags);
    if (mmap((void*)start, UP(fend) - start, prot, MAP_PRIVATE | MAP_FIXED, fd, (off_t)DOWN(p->p_offset)) == MAP_FAILED)
      return perror("mmap segment"), -1;
    if (mend > fend) {
      if ((prot & PROT_WRITE) && UP(fend) > fend) memset((void*)fend, 0, UP(fend) - fend);
      if (UP(mend) > UP(fend) &&
          mmap((void*)UP(fend), UP(mend) - UP(fend), prot, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0) == MAP_FAILED)
        return perror("mmap bss"), -1;
    }
  }
  close(fd);
  uintptr_t rela = 0, relasz = 0;
  for (const Elf64_Dyn* d = dyn; d && d->d_tag != DT_NULL; d++) {
    if (d->d_tag == DT_RELA) rela = bias + d->d_un.d_ptr;
    if (d->d_tag == DT_RELASZ) relasz = d->d_un.d_val;
  }
  long n = 0;
  const Elf64_Rela* r = (const Elf64_Rela*)rela;
  for (size_t i = 0; i < relasz / sizeof *r; i++)
    if (ELF64_R_TYPE(r[i].r_info) == R_X86_64_RELATIVE) {
      *(uint64_t*)(bias + r[i].r_offset) = bias + (uint64_t)r[i].r_addend;
      n++;
    }
  return n;
}

int main(int argc, char** argv) {
  if (argc != 2 && argc != 3) {
    fprintf(stderr, "usage: floor <plugin.so> [<warm-plugin.so>]\n");
    return 2;
  }
  if (argc == 3 && load(argv[2]) < 0) return 1;
  double t0 = now_ns();
  long n = load(argv[1]);
  double t1 = now_ns();
  if (n < 0) return 1;
  printf("value %.0f\nrelative %ld\n", t1 - t0, n);
  return 0;
}
