/* corpus_runner: loads every file of the malformed-ELF corpus (corpus_gen.c)
 * through staticdl and checks the robustness contract.
 *
 *   corpus_runner MANIFEST [NAME-GLOB]
 *
 * For each manifest line "<file>\t<expected>", in a forked child (so a crash
 * is reported, not fatal), the file is loaded three ways: dlopen(RTLD_NOW),
 * staticdl_open_fd and staticdl_open_memory (both given the path as name).
 * Each load must
 *   - return NULL, with a dlerror() text that contains the file's path and
 *     the expected text ('*' in it matches any run of characters); or, for
 *     "LOADS", succeed and then dlclose() cleanly;
 *   - leave the number of /proc/self/maps lines and of open fds as they were,
 *     and no mapping of the file. (One settling retry: the first failing load
 *     of a process may grow malloc's own pools; a real leak repeats.)
 * A child that dies is "CRASH <name> signal N"; one that takes longer than
 * 20 s is killed (SIGALRM). Output: "ok <name>" or "FAIL <name>: ..." per
 * file, then "N passed, N failed"; the exit status is 1 on any failure.
 * CORPUS_VERBOSE=1 adds the dlopen() error text to each "ok" line.
 */
#define _GNU_SOURCE 1
#include <dirent.h>
#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <fnmatch.h>
#include <signal.h>
#include <staticdl/staticdl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

enum { kTimeout = 20 };

typedef struct {
  int maps, fds;
} Snap;

static int count_maps(const char *path, int *mentions) {
  FILE *f = fopen("/proc/self/maps", "re");
  char line[4352];
  int n = 0;
  *mentions = 0;
  if (!f) return -1;
  while (fgets(line, sizeof line, f)) {
    n++;
    if (path && strstr(line, path)) ++*mentions;
  }
  fclose(f);
  return n;
}

static int count_fds(void) {
  DIR *d = opendir("/proc/self/fd");
  struct dirent *e;
  int n = 0;
  if (!d) return -1;
  while ((e = readdir(d)))
    if (e->d_name[0] != '.') n++;
  closedir(d);
  return n;
}

static Snap snap(const char *path, int *mentions) {
  Snap s;
  s.maps = count_maps(path, mentions);
  s.fds = count_fds();
  return s;
}

/* `text` contains the pieces of `pat` (split at '*') in order. */
static int matches(const char *text, const char *pat) {
  char piece[1024];
  while (*pat) {
    size_t l = strcspn(pat, "*");
    if (l >= sizeof piece) return 0;
    memcpy(piece, pat, l), piece[l] = 0;
    if (l) {
      const char *hit = strstr(text, piece);
      if (!hit) return 0;
      text = hit + l;
    }
    pat += l + (pat[l] == '*');
  }
  return 1;
}

typedef struct {
  const char *path, *expect;
  const unsigned char *data;
  size_t size;
} Case;

enum Mode { kDlopen, kFd, kMemory };
static const char *const kModeName[] = {"dlopen", "staticdl_open_fd", "staticdl_open_memory"};

/* One load and its checks; appends a problem description to `why` on failure. */
static char first_error[2048]; /* the dlopen() text, for CORPUS_VERBOSE */

static int attempt(const Case *c, enum Mode mode, char *why, size_t whysz) {
  int loads = strcmp(c->expect, "LOADS") == 0;
  int fd = -1;
  if (mode == kFd && (fd = open(c->path, O_RDONLY | O_CLOEXEC)) < 0) {
    snprintf(why, whysz, "%s: cannot open: %s", kModeName[mode], strerror(errno));
    return 0;
  }
  int mentions;
  Snap before = snap(c->path, &mentions);
  dlerror();
  void *h = mode == kDlopen ? dlopen(c->path, RTLD_NOW)
            : mode == kFd   ? staticdl_open_fd(fd, c->path, RTLD_NOW)
                            : staticdl_open_memory(c->data, c->size, c->path, RTLD_NOW);
  const char *err = dlerror();
  char errbuf[2048];
  snprintf(errbuf, sizeof errbuf, "%s", err ? err : "(null)");
  if (mode == kDlopen) snprintf(first_error, sizeof first_error, "%s", h ? "(loaded)" : errbuf);
  int ok = 1;
  if (loads) {
    if (!h) {
      snprintf(why, whysz, "%s: expected to load, got '%s'", kModeName[mode], errbuf);
      ok = 0;
    } else if (dlclose(h) != 0) {
      snprintf(why, whysz, "%s: dlclose failed: '%s'", kModeName[mode], dlerror());
      ok = 0;
    }
  } else if (h) {
    snprintf(why, whysz, "%s: loaded, expected '%s'", kModeName[mode], c->expect);
    dlclose(h);
    ok = 0;
  } else if (!err || !strstr(errbuf, c->path) || !matches(errbuf, c->expect)) {
    snprintf(why, whysz, "%s: got '%s', expected '<path>...%s'", kModeName[mode], errbuf, c->expect);
    ok = 0;
  }
  int after_mentions;
  Snap after = snap(c->path, &after_mentions);
  if (ok && (after.maps != before.maps || after.fds != before.fds || after_mentions)) {
    /* Settle: repeat once from the new baseline. A leak repeats. */
    Snap base = after;
    dlerror();
    void *h2 = mode == kDlopen ? dlopen(c->path, RTLD_NOW)
               : mode == kFd   ? staticdl_open_fd(fd, c->path, RTLD_NOW)
                               : staticdl_open_memory(c->data, c->size, c->path, RTLD_NOW);
    if (h2) dlclose(h2);
    after = snap(c->path, &after_mentions);
    if (after.maps != base.maps || after.fds != base.fds || after_mentions) {
      snprintf(why, whysz, "%s: leak: maps %d -> %d, fds %d -> %d, %d mapping(s) of the file left", kModeName[mode],
               base.maps, after.maps, base.fds, after.fds, after_mentions);
      ok = 0;
    }
  }
  if (fd >= 0) close(fd);
  return ok;
}

static unsigned char *read_file(const char *path, size_t *size) {
  FILE *f = fopen(path, "rb");
  if (!f) return NULL;
  fseek(f, 0, SEEK_END);
  long n = ftell(f);
  rewind(f);
  unsigned char *b = malloc(n > 0 ? (size_t)n : 1);
  if (b && n > 0 && fread(b, 1, (size_t)n, f) != (size_t)n) free(b), b = NULL;
  fclose(f);
  *size = n > 0 ? (size_t)n : 0;
  return b;
}

/* Runs in the child: all three modes; prints one line; exit 0 when ok. */
static int progress_fd = -1; /* the child reports the mode it is in */

static int run_case(const char *name, const Case *c0) {
  Case c = *c0;
  char why[3][4096];
  int ok = 1;
  unsigned char *data = read_file(c.path, &c.size);
  if (!data) {
    printf("FAIL %s: cannot read %s\n", name, c.path);
    return 1;
  }
  c.data = data;
  for (int m = kDlopen; m <= kMemory; m++) {
    why[m][0] = 0;
    char b = (char)m;
    if (write(progress_fd, &b, 1) != 1) {}
    ok &= attempt(&c, (enum Mode)m, why[m], sizeof why[m]);
  }
  free(data);
  if (ok) {
    const char *v = getenv("CORPUS_VERBOSE");
    if (v && *v && strcmp(v, "0")) printf("ok %s: %s\n", name, first_error);
    else printf("ok %s\n", name);
    return 0;
  }
  printf("FAIL %s:", name);
  for (int m = kDlopen; m <= kMemory; m++)
    if (why[m][0]) printf(" [%s]", why[m]);
  printf("\n");
  return 1;
}

int main(int argc, char **argv) {
  if (argc < 2) {
    fprintf(stderr, "usage: %s MANIFEST [NAME-GLOB]\n", argv[0]);
    return 2;
  }
  setvbuf(stdout, NULL, _IOLBF, 0);
  char dir[4096];
  snprintf(dir, sizeof dir, "%s", argv[1]);
  char *slash = strrchr(dir, '/');
  if (slash) *slash = 0;
  else snprintf(dir, sizeof dir, ".");
  FILE *m = fopen(argv[1], "re");
  if (!m) {
    fprintf(stderr, "%s: %s\n", argv[1], strerror(errno));
    return 2;
  }
  char line[4096];
  int passed = 0, failed = 0;
  while (fgets(line, sizeof line, m)) {
    line[strcspn(line, "\r\n")] = 0;
    if (!line[0] || line[0] == '#') continue;
    char *tab = strchr(line, '\t');
    if (!tab) {
      fprintf(stderr, "bad manifest line: %s\n", line);
      return 2;
    }
    *tab = 0;
    const char *name = line;
    if (argc > 2 && fnmatch(argv[2], name, 0)) continue;
    char path[8192];
    if (dir[0] == '/') snprintf(path, sizeof path, "%s/%s", dir, name);
    else {
      char cwd[4096];
      snprintf(path, sizeof path, "%s/%s/%s", getcwd(cwd, sizeof cwd) ? cwd : ".", dir, name);
    }
    Case c = {path, tab + 1, NULL, 0};
    int pfd[2];
    if (pipe(pfd) != 0) {
      perror("pipe");
      return 2;
    }
    fflush(stdout);
    pid_t pid = fork();
    if (pid < 0) {
      perror("fork");
      return 2;
    }
    if (pid == 0) {
      close(pfd[0]);
      progress_fd = pfd[1];
      alarm(kTimeout);
      int rc = run_case(name, &c);
      fflush(stdout);
      _exit(rc);
    }
    close(pfd[1]);
    int st;
    while (waitpid(pid, &st, 0) < 0 && errno == EINTR) {}
    char modes[8];
    ssize_t got = read(pfd[0], modes, sizeof modes);
    close(pfd[0]);
    const char *in = got > 0 && modes[got - 1] >= 0 && modes[got - 1] <= kMemory ? kModeName[(int)modes[got - 1]] : "?";
    if (WIFEXITED(st) && WEXITSTATUS(st) == 0) {
      passed++;
    } else {
      failed++;
      if (WIFSIGNALED(st))
        printf("CRASH %s signal %d%s in %s\n", name, WTERMSIG(st), WTERMSIG(st) == SIGALRM ? " (timeout)" : "", in);
    }
  }
  fclose(m);
  printf("%d passed, %d failed\n", passed, failed);
  return failed ? 1 : 0;
}
