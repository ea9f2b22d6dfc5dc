/* memory: staticdl_open_fd and staticdl_open_memory (no glibc equivalent).
 * The image is read into a buffer that is wiped and freed right after the
 * call, since staticdl copies it. */
#include "common.h"
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>
#include <staticdl/staticdl.h>

static void use(const char *label, void *h) {
  Dl_info info;
  int (*next)(void);
  if (!h) {
    char buf[4096];
    printf("%s: FAIL: %s\n", label, replace_dir(dlerror(), buf, sizeof buf));
    return;
  }
  next = FN(int (*)(void), h, "mem_next");
  next();
  printf("%s: mem_name=%s mem_next=%d", label, FN(const char *(*)(void), h, "mem_name")(), next());
  memset(&info, 0, sizeof info);
  if (dladdr((void *)next, &info)) printf(" dladdr=%s/%s", info.dli_fname, info.dli_sname ? info.dli_sname : "(null)");
  printf(" dlclose=%d\n", dlclose(h));
}

int main(int argc, char **argv) {
  int fd;
  struct stat st;
  char *buf;
  void *h;
  char expect[32];
  Dl_info info;
  test_init(argc, argv);
  fd = open(plugin_path("libmem.so"), O_RDONLY | O_CLOEXEC);
  CHECK(fd >= 0 && fstat(fd, &st) == 0);

  use("open_fd", staticdl_open_fd(fd, "libmem_fd.so", RTLD_NOW));
  h = staticdl_open_fd(fd, NULL, RTLD_NOW);
  snprintf(expect, sizeof expect, "fd:%d", fd);
  memset(&info, 0, sizeof info);
  printf("open_fd unnamed: dladdr name %s\n",
         h && dladdr(must_sym(h, "mem_next"), &info) && info.dli_fname && !strcmp(info.dli_fname, expect)
             ? "fd:<n>" : "wrong");
  if (h) dlclose(h);

  buf = (char *)malloc(st.st_size);
  CHECK(buf && pread(fd, buf, st.st_size, 0) == st.st_size);
  h = staticdl_open_memory(buf, st.st_size, "libmem_memory.so", RTLD_NOW);
  memset(buf, 0, st.st_size);
  free(buf);
  use("open_memory", h);

  buf = (char *)malloc(st.st_size);
  CHECK(buf && pread(fd, buf, st.st_size, 0) == st.st_size);
  h = staticdl_open_memory(buf, st.st_size, NULL, RTLD_NOW);
  free(buf);
  use("open_memory unnamed", h);

  /* A truncated image is an error, not a crash. */
  buf = (char *)malloc(st.st_size);
  CHECK(buf && pread(fd, buf, st.st_size, 0) == st.st_size);
  h = staticdl_open_memory(buf, 100, "truncated.so", RTLD_NOW);
  printf("open_memory truncated: %s\n", h ? "loaded" : "NULL");
  if (h) dlclose(h);
  else dlerror();
  free(buf);
  close(fd);
  return 0;
}
