/* libcorpus_*.so: the valid plugin the malformed-ELF corpus is derived from.
 *
 * Small, but it has what the mutations need: imports from the host's libc
 * (JUMP_SLOT, GLOB_DAT and R_X86_64_64 against `environ`), a data pointer to
 * its own code (RELATIVE), references to its own exported symbols (resolved
 * in this object, so its hash table and versions are used), a constructor
 * and a destructor (DT_INIT_ARRAY/DT_FINI_ARRAY), versioned definitions
 * (corpus.map: DT_VERDEF/DT_VERSYM), and 16 KiB of padding in .text so the
 * executable segment spans several pages (the "hole" mutations shrink it to
 * one page and point tables into the unmapped rest).
 */
#include <stddef.h>
#include <string.h>

extern char **environ;

int corpus_counter = 1;                  /* own data, reached through the GOT */
int corpus_ctor_ran;
char ***corpus_env = &environ;           /* R_X86_64_64 against a host symbol */
size_t (*corpus_strlen)(const char *) = strlen;  /* R_X86_64_64 / GLOB_DAT */

int corpus_add(int a, int b) { return a + b + corpus_counter; }
int (*corpus_add_ptr)(int, int) = corpus_add;    /* RELATIVE or R_X86_64_64 */

size_t corpus_copy(char *dst, const char *src) {
  size_t n = strlen(src);                /* JUMP_SLOT */
  memcpy(dst, src, n + 1);
  return n + (size_t)corpus_counter;
}

/* The asm keeps clang from evaluating the constructor at compile time. */
__attribute__((constructor)) static void corpus_init(void) {
  __asm__ volatile("" ::: "memory");
  corpus_ctor_ran = corpus_counter;
}
__attribute__((destructor)) static void corpus_fini(void) { corpus_ctor_ran = 0; }

__asm__(".section .text.corpus_pad,\"ax\",@progbits\n"
        ".globl corpus_pad\n"
        ".type corpus_pad,@function\n"
        "corpus_pad:\n"
        ".skip 16384, 0xcc\n"
        ".size corpus_pad, 16384\n"
        ".previous\n");
