/* file_changes: a plugin file truncated or rewritten while it is being
 * loaded must not hurt the host. The test-only fault hook runs before each
 * mmap the loader makes; on the first one (the headers have been read, the
 * segments are about to be mapped) it changes the file on disk:
 *   - truncated to half its size: dlopen must fail cleanly ("file changed
 *     size while being loaded"), with no crash and nothing left mapped;
 *   - rewritten with garbage of the same size: whatever happens, no crash,
 *     and if it fails, nothing is left mapped.
 * staticdl-only (uses <staticdl/testing.h>). */
#include "common.h"

#include <fcntl.h>
#include <staticdl/testing.h>
#include <sys/stat.h>
#include <unistd.h>

static const char *victim;
static int mode; /* 1: truncate, 2: rewrite */
static int fired;

static int change_file(enum staticdl_fault_site site) {
  if (site != STATICDL_FAULT_MMAP || fired) return 0;
  fired = 1;
  struct stat st;
  if (stat(victim, &st) != 0) return 0;
  if (mode == 1) {
    if (truncate(victim, st.st_size / 2) != 0) perror("truncate");
  } else {
    int fd = open(victim, O_WRONLY);
    char junk[4096];
    memset(junk, 0xa5, sizeof junk);
    for (off_t off = 0; fd >= 0 && off < st.st_size; off += (off_t)sizeof junk)
      if (pwrite(fd, junk, sizeof junk, off) < 0) break;
    if (fd >= 0) close(fd);
  }
  return 0; /* never fail the call itself */
}

static void copy_file(const char *from, const char *to) {
  FILE *in = fopen(from, "rb"), *out = fopen(to, "wb");
  char buf[65536];
  size_t n;
  while (in && out && (n = fread(buf, 1, sizeof buf, in)) > 0) fwrite(buf, 1, n, out);
  if (in) fclose(in);
  if (out) fclose(out);
}

static int mapped(const char *path) {
  FILE *f = fopen("/proc/self/maps", "r");
  char line[4096];
  int n = 0;
  while (f && fgets(line, sizeof line, f)) n += strstr(line, path) != NULL;
  if (f) fclose(f);
  return n;
}

static void run(int m, const char *label) {
  char path[4096];
  snprintf(path, sizeof path, "/tmp/staticdl-file-changes-%d-%d.so", (int)getpid(), m);
  copy_file(plugin_path("librelr.so"), path);
  victim = path, mode = m, fired = 0;
  staticdl_test_set_fault_hook(change_file);
  void *h = dlopen(path, RTLD_NOW);
  staticdl_test_set_fault_hook(NULL);
  const char *err = h ? NULL : dlerror();
  printf("%s: hook fired: %s\n", label, fired ? "yes" : "no");
  if (m == 1) {
    printf("%s: dlopen %s", label, h ? "loaded\n" : "failed: ");
    if (!h) printf("%s\n", strstr(err, "file changed size while being loaded") ? "file changed size while being loaded" : err);
  } else {
    printf("%s: host survived\n", label);
  }
  if (h) dlclose(h);
  printf("%s: mapped afterwards: %d\n", label, mapped(path));
  unlink(path);
}

int main(int argc, char **argv) {
  test_init(argc, argv);
  run(1, "truncated");
  run(2, "rewritten");
  return 0;
}
