/* dynpatch: rewrites .dynamic tags that a linker will not emit for us.
 * Built natively with the host compiler; works on ELF64 little-endian.
 *
 *   dynpatch runpath-to-rpath IN OUT
 *       DT_RUNPATH becomes DT_RPATH (zig's lld only writes DT_RUNPATH).
 *   dynpatch soname-to-rpath IN OUT
 *       DT_SONAME becomes DT_RPATH, and a leading "XORIGIN" in its string
 *       becomes "$ORIGIN" (a '$' does not survive the link command lines).
 *       With a DT_RUNPATH also present, this gives an object that has both
 *       DT_RPATH and DT_RUNPATH with different values, which no linker
 *       writes.
 */
#include <elf.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static unsigned char *buf;
static size_t size;

static int in_range(size_t off, size_t len) { return off <= size && len <= size - off; }

static Elf64_Dyn *dynamic(size_t *n) {
  Elf64_Ehdr *eh = (Elf64_Ehdr *)buf;
  if (!in_range(eh->e_phoff, (size_t)eh->e_phnum * sizeof(Elf64_Phdr))) return NULL;
  Elf64_Phdr *ph = (Elf64_Phdr *)(buf + eh->e_phoff);
  for (int i = 0; i < eh->e_phnum; i++) {
    if (ph[i].p_type == PT_DYNAMIC && in_range(ph[i].p_offset, ph[i].p_filesz)) {
      *n = ph[i].p_filesz / sizeof(Elf64_Dyn);
      return (Elf64_Dyn *)(buf + ph[i].p_offset);
    }
  }
  return NULL;
}

/* File offset of virtual address v, or (size_t)-1. */
static size_t offset_of(uint64_t v) {
  Elf64_Ehdr *eh = (Elf64_Ehdr *)buf;
  Elf64_Phdr *ph = (Elf64_Phdr *)(buf + eh->e_phoff);
  for (int i = 0; i < eh->e_phnum; i++)
    if (ph[i].p_type == PT_LOAD && v >= ph[i].p_vaddr && v < ph[i].p_vaddr + ph[i].p_filesz)
      return (size_t)(v - ph[i].p_vaddr + ph[i].p_offset);
  return (size_t)-1;
}

static int retag(int64_t from, int64_t to, int fix_origin) {
  size_t n = 0;
  Elf64_Dyn *d = dynamic(&n);
  if (!d) return fprintf(stderr, "dynpatch: no PT_DYNAMIC\n"), -1;
  uint64_t strtab = 0;
  for (size_t i = 0; i < n && d[i].d_tag != DT_NULL; i++)
    if (d[i].d_tag == DT_STRTAB) strtab = d[i].d_un.d_ptr;
  for (size_t i = 0; i < n && d[i].d_tag != DT_NULL; i++) {
    if (d[i].d_tag != from) continue;
    d[i].d_tag = to;
    if (fix_origin) {
      size_t off = offset_of(strtab);
      if (off == (size_t)-1 || !in_range(off + d[i].d_un.d_val, 7))
        return fprintf(stderr, "dynpatch: bad DT_STRTAB\n"), -1;
      char *s = (char *)buf + off + d[i].d_un.d_val;
      if (strncmp(s, "XORIGIN", 7) == 0) s[0] = '$';
    }
    return 0;
  }
  fprintf(stderr, "dynpatch: tag %lld not found\n", (long long)from);
  return -1;
}

int main(int argc, char **argv) {
  if (argc != 4) {
    fprintf(stderr, "usage: dynpatch runpath-to-rpath|soname-to-rpath IN OUT\n");
    return 2;
  }
  FILE *f = fopen(argv[2], "rb");
  if (!f) return perror(argv[2]), 1;
  fseek(f, 0, SEEK_END);
  size = (size_t)ftell(f);
  fseek(f, 0, SEEK_SET);
  buf = malloc(size);
  if (!buf || fread(buf, 1, size, f) != size) return perror(argv[2]), 1;
  fclose(f);
  if (size < sizeof(Elf64_Ehdr) || memcmp(buf, ELFMAG, SELFMAG) != 0 || buf[EI_CLASS] != ELFCLASS64)
    return fprintf(stderr, "dynpatch: %s: not ELF64\n", argv[2]), 1;
  int r;
  if (!strcmp(argv[1], "runpath-to-rpath")) r = retag(DT_RUNPATH, DT_RPATH, 0);
  else if (!strcmp(argv[1], "soname-to-rpath")) r = retag(DT_SONAME, DT_RPATH, 1);
  else return fprintf(stderr, "dynpatch: unknown operation %s\n", argv[1]), 2;
  if (r) return 1;
  f = fopen(argv[3], "wb");
  if (!f || fwrite(buf, 1, size, f) != size || fclose(f)) return perror(argv[3]), 1;
  return 0;
}
