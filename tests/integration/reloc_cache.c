/* The relocation cache (STATICDL_RELOC_CACHE; loader/reloc_cache.h),
 * across processes: this program runs itself as a child for each step,
 * with librc_top.so -> librc_dep.so copied into a private directory.
 *
 * Each child dlopens librc_top.so and prints what rc_check() found behind
 * every kind of relocated word (31: all right), how often the IFUNC
 * resolver and the constructor ran in this process (1 each: the cache must
 * not carry what code wrote), how many cache files /proc/self/maps shows
 * mapped, and the same after dlclose. The parent prints that, and how the
 * cache directory changed. staticdl only: glibc has no such cache.
 *
 *   reloc_cache <plugin dir>
 *   reloc_cache <lib dir> child [block=<address> | api=<dir> | api-off]
 * (block: map a page there first; api: staticdl_set_reloc_cache() first)
 */
#define _GNU_SOURCE 1
#include <errno.h>
#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <unistd.h>

#include "common.h"
#include <staticdl/staticdl.h>

#ifndef MAP_FIXED_NOREPLACE
#define MAP_FIXED_NOREPLACE 0x100000
#endif

static const char *g_api_dir;

static const char *cache_dir(void) {
  const char *d = g_api_dir ? g_api_dir : getenv("STATICDL_RELOC_CACHE");
  return d ? d : "/nonexistent";
}

/* Distinct cache files in /proc/self/maps. */
static int mapped_cache_files(void) {
  FILE *f = fopen("/proc/self/maps", "r");
  char line[4096], seen[16][512];
  int n = 0;
  while (f && fgets(line, sizeof line, f)) {
    char *path = strchr(line, '/');
    if (!path || !strstr(path, ".sdlrc") || strncmp(path, cache_dir(), strlen(cache_dir())) != 0) continue;
    path[strcspn(path, "\n")] = 0;
    int known = 0;
    for (int i = 0; i < n; i++) known |= !strcmp(seen[i], path);
    if (!known && n < 16) snprintf(seen[n++], sizeof seen[0], "%s", path);
  }
  if (f) fclose(f);
  return n;
}

static int child(const char *dir, const char *opt) {
  void *want = opt && !strncmp(opt, "block=", 6) ? (void *)(uintptr_t)strtoull(opt + 6, NULL, 16) : NULL;
  if (want && mmap(want, 4096, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1, 0) != want)
    printf("  cannot block %p\n", want);
  if (opt && !strncmp(opt, "api", 3)) {
    g_api_dir = !strncmp(opt, "api=", 4) ? opt + 4 : NULL;
    int rc = staticdl_set_reloc_cache(g_api_dir);
    printf("  staticdl_set_reloc_cache(%s) = %d\n", g_api_dir ? "<cache>" : "NULL", rc);
  }
  char path[4096];
  snprintf(path, sizeof path, "%s/librc_top.so", dir);
  void *h = dlopen(path, RTLD_NOW);
  if (!h) return printf("  dlopen failed: %s\n", dlerror()), 1;
  int (*check)(void) = (int (*)(void))dlsym(h, "rc_check");
  int *resolver_calls = (int *)dlsym(h, "rc_resolver_calls"), *ctor_runs = (int *)dlsym(h, "rc_ctor_runs");
  struct link_map *lm = NULL;
  if (!check || !resolver_calls || !ctor_runs || dlinfo(h, RTLD_DI_LINKMAP, &lm) != 0)
    return printf("  dlsym/dlinfo failed: %s\n", dlerror()), 1;
  printf("  check=%d resolver_calls=%d ctor_runs=%d cache files mapped=%d\n", check(), *resolver_calls - 100,
         *ctor_runs - 100, mapped_cache_files());
  snprintf(path, sizeof path, "%s/librc_dep.so", dir);
  void *dep = dlopen(path, RTLD_NOW | RTLD_NOLOAD);
  struct link_map *dm = NULL;
  if (!dep || dlinfo(dep, RTLD_DI_LINKMAP, &dm) != 0) return printf("  librc_dep.so: %s\n", dlerror()), 1;
  printf("base=%lx %lx\n", (unsigned long)lm->l_addr, (unsigned long)dm->l_addr);
  dlclose(dep);
  dlclose(h);
  printf("  after dlclose: cache files mapped=%d\n", mapped_cache_files());
  return 0;
}

/* ---- the parent ---------------------------------------------------------- */

static char g_libs[512], g_cache[512];
static unsigned long g_prev_base, g_prev_dep;  /* librc_top.so's, librc_dep.so's in the previous child */

static void copy_file(const char *from_dir, const char *name) {
  char from[1024], to[1024], buf[65536];
  snprintf(from, sizeof from, "%s/%s", from_dir, name);
  snprintf(to, sizeof to, "%s/%s", g_libs, name);
  int in = open(from, O_RDONLY), out = open(to, O_WRONLY | O_CREAT | O_TRUNC, 0755);
  ssize_t n;
  if (in < 0 || out < 0) printf("cannot copy %s: %s\n", from, strerror(errno)), exit(1);
  while ((n = read(in, buf, sizeof buf)) > 0)
    if (write(out, buf, (size_t)n) != n) exit(1);
  close(in), close(out);
}

/* The cache file of lib (loader/reloc_cache.cpp names it by device and inode). */
static void cache_file(const char *lib, char *out, size_t n) {
  char path[1024];
  struct stat st;
  snprintf(path, sizeof path, "%s/%s", g_libs, lib);
  if (stat(path, &st) != 0) exit(1);
  snprintf(out, n, "%s/%llx-%llx.sdlrc", g_cache, (unsigned long long)st.st_dev, (unsigned long long)st.st_ino);
}

static long long file_size(const char *path) {
  struct stat st;
  return stat(path, &st) == 0 ? (long long)st.st_size : -1;
}

static int count_cache_files(void) {
  DIR *d = opendir(g_cache);
  struct dirent *e;
  int n = 0;
  while (d && (e = readdir(d)))
    n += strstr(e->d_name, ".sdlrc") != NULL && e->d_name[0] != '.';
  if (d) closedir(d);
  return n;
}

/* Runs one child and prints its output but the base line. With `compare`,
 * says whether librc_top.so is where the previous child had it (only where
 * that is certain: a fresh load's address is random, or fixed without ASLR). */
static void run(const char *title, const char *block, int compare) {
  printf("%s\n", title);
  fflush(stdout);
  int fds[2];
  if (pipe(fds) != 0) exit(1);
  pid_t pid = fork();
  if (pid == 0) {
    dup2(fds[1], 1);
    close(fds[0]);
    const char *emu = getenv("SDL_EMULATOR");
    char exe[1024];
    ssize_t k = readlink("/proc/self/exe", exe, sizeof exe - 1);
    if (k <= 0) _exit(127);
    exe[k] = 0;
    if (emu && *emu)
      execl(emu, emu, exe, g_libs, "child", block, (char *)NULL);
    else
      execl(exe, exe, g_libs, "child", block, (char *)NULL);
    _exit(127);
  }
  close(fds[1]);
  FILE *f = fdopen(fds[0], "r");
  char line[4096];
  unsigned long base = 0, dep = 0;
  while (fgets(line, sizeof line, f))
    if (sscanf(line, "base=%lx %lx", &base, &dep) != 2) fputs(line, stdout);
  fclose(f);
  int status = 0;
  waitpid(pid, &status, 0);
  if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) printf("  child failed (status %d)\n", status);
  if (compare) printf("  at the previous process's address: %s\n", base == g_prev_base ? "yes" : "no");
  printf("  cache files: %d\n", count_cache_files());
  g_prev_base = base, g_prev_dep = dep;
}

int main(int argc, char **argv) {
  if (argc > 2 && !strcmp(argv[2], "child")) return child(argv[1], argc > 3 ? argv[3] : NULL);
  if (argc < 2) return fprintf(stderr, "usage: %s <plugin dir>\n", argv[0]), 2;
  char work[] = "/tmp/sdl-reloc-cache-XXXXXX";
  if (!mkdtemp(work)) return perror("mkdtemp"), 1;
  snprintf(g_libs, sizeof g_libs, "%s/lib", work);
  snprintf(g_cache, sizeof g_cache, "%s/cache", work);
  if (mkdir(g_libs, 0755) != 0 || mkdir(g_cache, 0700) != 0) return perror("mkdir"), 1;
  copy_file(argv[1], "librc_top.so");
  copy_file(argv[1], "librc_dep.so");
  setenv("STATICDL_RELOC_CACHE", g_cache, 1);
  char top[1024], dep[1024], lib[1024];
  cache_file("librc_top.so", top, sizeof top);
  cache_file("librc_dep.so", dep, sizeof dep);

  run("1. empty cache: both objects stored", NULL, 0);
  long long top_size = file_size(top);
  run("2. second process: both mapped from the cache", NULL, 1);

  char block[64];
  unlink(dep);
  snprintf(block, sizeof block, "block=%lx", g_prev_dep);
  run("3. the dependency's cache removed, its address taken: librc_top.so's cached pointers into it are stale",
      block, 1);

  if (truncate(top, 100) != 0) return perror("truncate"), 1;
  run("4. librc_top.so's cache truncated: not used, and stored again", NULL, 0);
  printf("  stored again whole: %s\n", file_size(top) == top_size ? "yes" : "no");

  snprintf(block, sizeof block, "block=%lx", g_prev_base);
  run("5. librc_top.so's cached address taken: loaded elsewhere, and stored again", block, 1);
  run("6. the next process: at the new address, from the cache", NULL, 1);

  snprintf(lib, sizeof lib, "%s/librc_top.so", g_libs);
  struct timeval old[2] = {{1000000000, 0}, {1000000000, 0}};
  if (utimes(lib, old) != 0) return perror("utimes"), 1;
  run("7. librc_top.so's modification time changed: its cache is not used", NULL, 0);

  chmod(g_cache, 0777);
  run("8. cache directory writable by others: not used", NULL, 0);
  chmod(g_cache, 0700);
  chmod(top, 0666);
  run("9. a cache file writable by others: not used", NULL, 0);

  char missing[600];
  snprintf(missing, sizeof missing, "%s/missing", work);
  setenv("STATICDL_RELOC_CACHE", missing, 1);
  run("10. no such cache directory: loaded as without a cache", NULL, 0);
  setenv("STATICDL_RELOC_CACHE", g_cache, 1);
  run("11. both mapped again", NULL, 0);

  run("12. staticdl_set_reloc_cache(NULL) over the variable: no cache", "api-off", 0);
  unsetenv("STATICDL_RELOC_CACHE");
  char api[600];
  snprintf(api, sizeof api, "api=%s", g_cache);
  run("13. staticdl_set_reloc_cache(dir) without the variable: both mapped", api, 0);

  char cmd[700];
  snprintf(cmd, sizeof cmd, "rm -rf '%s'", work);
  return system(cmd) == 0 ? 0 : 1;
}
