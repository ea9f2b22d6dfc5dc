/* dlerror() texts, which must read exactly as glibc's. The fixture
 * directory (argv[1]) is an absolute build path and the temporary file's
 * name is random, so they are printed as "<dir>" and "<tmp>"; that is the
 * only normalization. */
#include "common.h"
#include <unistd.h>

static const char* dir;
static const char* hide; /* printed as hide_as */
static const char* hide_as;

static void show(const char* what) {
  const char* e = DL_ERROR();
  if (!e) {
    printf("%s: (no error)\n", what);
    return;
  }
  size_t n = strlen(hide);
  printf("%s: ", what);
  for (const char* p = e; *p;) {
    if (strncmp(p, hide, n) == 0) {
      printf("%s", hide_as);
      p += n;
    } else {
      putchar(*p++);
    }
  }
  printf("\n");
}

static void try_open(const char* what, const char* name, int in_dir) {
  char path[4096];
  snprintf(path, sizeof path, "%s%s%s", in_dir ? dir : "", in_dir ? "/" : "", name);
  void* h = DL_OPEN(path, RTLD_NOW);
  if (h) {
    printf("%s: opened?!\n", what);
    DL_CLOSE(h);
    return;
  }
  show(what);
}

int main(int argc, char** argv) {
  if (argc < 2) return 2;
  dir = hide = argv[1];
  hide_as = "<dir>";
  printf("no error yet: %s\n", DL_ERROR() ? "error" : "NULL");
  try_open("missing file", "libhy_missing.so", 1);
  printf("dlerror again: %s\n", DL_ERROR() ? "error" : "NULL");
  try_open("missing file, searched", "libhy_missing.so.3", 0);
  try_open("missing DT_NEEDED", "libhy_err_needed.so", 1);
  try_open("undefined symbol", "libhy_err_undef.so", 1);
  try_open("a directory", "", 1);
  try_open("a glibc version libc.so.6 lacks", "libhy_newglibc.so", 1);

  /* Not ELF: a short file, then a long one (a loaded file would print
   * nothing here, and the comparison fails). */
  char tmp[] = "/tmp/hybrid_errors_XXXXXX";
  int fd = mkstemp(tmp);
  if (fd < 0) return 1;
  hide = tmp;
  hide_as = "<tmp>";
  char junk[512];
  memset(junk, '#', sizeof junk);
  if (write(fd, "#!/bin/sh\n", 10) == 10 && !DL_OPEN(tmp, RTLD_NOW)) show("short file");
  if (write(fd, junk, sizeof junk) == (ssize_t)sizeof junk && !DL_OPEN(tmp, RTLD_NOW)) show("long non-ELF file");
  close(fd);
  unlink(tmp);
  hide = dir;
  hide_as = "<dir>";

  void* h = open_or_die(dir, "libhy_second.so", RTLD_NOW);
  printf("after a successful dlopen: %s\n", DL_ERROR() ? "error" : "NULL");
  void* s = DL_SYM(h, "hy_not_here");
  printf("dlsym miss returned %s\n", s ? "non-NULL" : "NULL");
  show("dlsym miss");
  show("dlsym miss, dlerror again");
  DL_CLOSE(h);

  /* A handle's scope is the object and its dependencies (here libc.so.6
   * and ld.so): the program's own symbols (-rdynamic) are not in it. */
  h = open_or_die(dir, "libhy_versions.so", RTLD_NOW);
  s = DL_SYM(h, "main");
  printf("dlsym(module, \"main\") returned %s\n", s ? "non-NULL" : "NULL");
  show("dlsym outside the handle's scope");
  DL_CLOSE(h);
  return 0;
}
