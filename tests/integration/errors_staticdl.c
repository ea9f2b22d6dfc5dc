/* errors_staticdl: refusals and messages that only staticdl has (glibc
 * loads or reports these differently, so there is no oracle):
 *   - wrong machine: glibc skips a foreign ELF silently and reports
 *     "cannot open shared object file: No such file or directory";
 *   - R_X86_64_COPY in a shared object: glibc applies it;
 *   - DT_TEXTREL, W+X segments: glibc loads them;
 *   - executable stack: glibc 2.36 makes the stack executable;
 *   - static TLS reserve exhausted: glibc has its own surplus and wording;
 *   - RTLD_NOLOAD on a library that is not loaded: glibc returns NULL
 *     without setting dlerror();
 *   - a FIFO: glibc reads it (without a writer it blocks), staticdl
 *     refuses it before reading. */
#include "common.h"
#include <staticdl/staticdl.h>
#include <sys/stat.h>
#include <unistd.h>

static void try_open(const char *label, const char *name, int flags) {
  void *h;
  fflush(stdout);
  h = dlopen(plugin_path(name), flags);
  printf("%s: %s\n", label, h ? "loaded" : "NULL");
  if (h) dlclose(h);
  else print_dlerror("  dlerror");
}

int main(int argc, char **argv) {
  test_init(argc, argv);
  try_open("wrong machine", "libforeign.so", RTLD_NOW);
  try_open("COPY relocation", "libcopy.so", RTLD_NOW);
  try_open("text relocations", "libtextrel.so", RTLD_NOW);
  try_open("W+X segment", "libwx.so", RTLD_NOW);
  try_open("executable stack", "libexecstack.so", RTLD_NOW);
  try_open("static TLS reserve exhausted", "libbigie.so", RTLD_NOW);
  try_open("RTLD_NOLOAD, not loaded", "libnoload.so", RTLD_NOW | RTLD_NOLOAD);
  {
    char fifo[64];
    snprintf(fifo, sizeof fifo, "/tmp/sdl-errors-fifo-%d", (int)getpid());
    if (mkfifo(fifo, 0600) != 0) {
      printf("mkfifo failed\n");
      return 1;
    }
    fflush(stdout);
    void *h = dlopen(fifo, RTLD_NOW);
    const char *e = dlerror();
    int named = e && !strncmp(e, fifo, strlen(fifo));
    printf("a FIFO: %s\n  dlerror: %s%s\n", h ? "loaded" : "NULL", named ? "<fifo>" : "", named ? e + strlen(fifo) : e);
    unlink(fifo);
  }
  /* The host is still fine: a good plugin loads after all of that. */
  try_open("good plugin afterwards", "libnoload.so", RTLD_NOW);
  return 0;
}
