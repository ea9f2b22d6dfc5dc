/* elfpatch: makes malformed-on-purpose fixtures out of good ones.
 * Built natively with the host compiler; works on ELF64 little-endian.
 *
 *   elfpatch copyreloc IN OUT   first GLOB_DAT -> COPY (R_X86_64_* or R_AARCH64_*,
 *                               from e_machine)
 *   elfpatch execstack IN OUT   PT_GNU_STACK gets PF_X (zig rejects -z execstack)
 */
#include <elf.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static unsigned char *buf;
static size_t size;

static int in_range(size_t off, size_t len) { return off <= size && len <= size - off; }

static int copyreloc(void) {
  Elf64_Ehdr *eh = (Elf64_Ehdr *)buf;
  unsigned glob_dat, copy;
  if (eh->e_machine == EM_X86_64) {
    glob_dat = R_X86_64_GLOB_DAT, copy = R_X86_64_COPY;
  } else if (eh->e_machine == EM_AARCH64) {
    glob_dat = R_AARCH64_GLOB_DAT, copy = R_AARCH64_COPY;
  } else {
    fprintf(stderr, "elfpatch: copyreloc: unsupported e_machine %u\n", eh->e_machine);
    return -1;
  }
  if (!in_range(eh->e_shoff, (size_t)eh->e_shnum * sizeof(Elf64_Shdr))) return -1;
  Elf64_Shdr *sh = (Elf64_Shdr *)(buf + eh->e_shoff);
  for (int i = 0; i < eh->e_shnum; i++) {
    if (sh[i].sh_type != SHT_RELA || !in_range(sh[i].sh_offset, sh[i].sh_size)) continue;
    Elf64_Rela *r = (Elf64_Rela *)(buf + sh[i].sh_offset);
    for (size_t j = 0; j < sh[i].sh_size / sizeof *r; j++) {
      if (ELF64_R_TYPE(r[j].r_info) == glob_dat) {
        r[j].r_info = ELF64_R_INFO(ELF64_R_SYM(r[j].r_info), copy);
        return 0;
      }
    }
  }
  fprintf(stderr, "elfpatch: no GLOB_DAT relocation found\n");
  return -1;
}

static int execstack(void) {
  Elf64_Ehdr *eh = (Elf64_Ehdr *)buf;
  if (!in_range(eh->e_phoff, (size_t)eh->e_phnum * sizeof(Elf64_Phdr))) return -1;
  Elf64_Phdr *ph = (Elf64_Phdr *)(buf + eh->e_phoff);
  for (int i = 0; i < eh->e_phnum; i++) {
    if (ph[i].p_type == PT_GNU_STACK) {
      ph[i].p_flags |= PF_X;
      return 0;
    }
  }
  fprintf(stderr, "elfpatch: no PT_GNU_STACK found\n");
  return -1;
}

int main(int argc, char **argv) {
  if (argc != 4) {
    fprintf(stderr, "usage: elfpatch copyreloc|execstack IN OUT\n");
    return 2;
  }
  FILE *f = fopen(argv[2], "rb");
  if (!f) { perror(argv[2]); return 1; }
  fseek(f, 0, SEEK_END);
  size = (size_t)ftell(f);
  rewind(f);
  buf = malloc(size);
  if (!buf || fread(buf, 1, size, f) != size) { perror("read"); return 1; }
  fclose(f);
  if (size < sizeof(Elf64_Ehdr) || memcmp(buf, ELFMAG, SELFMAG) || buf[EI_CLASS] != ELFCLASS64) {
    fprintf(stderr, "elfpatch: %s: not an ELF64 file\n", argv[2]);
    return 1;
  }
  int rc = !strcmp(argv[1], "copyreloc") ? copyreloc()
         : !strcmp(argv[1], "execstack") ? execstack() : -2;
  if (rc) return 1;
  f = fopen(argv[3], "wb");
  if (!f || fwrite(buf, 1, size, f) != size || fclose(f)) { perror(argv[3]); return 1; }
  return 0;
}
