/* lazy: RTLD_LAZY. A function nothing defines at dlopen time does not
 * fail the dlopen; its first call binds it, to an RTLD_GLOBAL library
 * loaded since (which then stays loaded while the caller is), with its
 * arguments intact (vector registers, a variadic call). A function still
 * undefined at its first call ends the process with glibc's message and
 * status 127. Data references, RTLD_NOW and objects linked -z now are
 * bound at load. Run again with the bind-now variables set
 * (lazy_bind_now.expected): then everything is bound at load. */
#include "common.h"

#include <pthread.h>
#include <sys/wait.h>
#include <unistd.h>

/* Several threads make the first call of a deferred function at once. */
enum { kThreads = 4 };
static pthread_barrier_t barrier;
static int (*call_mt)(int);
static void *first_call(void *arg) {
  pthread_barrier_wait(&barrier);
  *(int *)arg = call_mt(7);
  return NULL;
}

static void race_first_call(void *user) {
  pthread_t t[kThreads];
  int results[kThreads], right = 0;
  call_mt = FN(int (*)(int), user, "call_later_mt");
  pthread_barrier_init(&barrier, NULL, kThreads);
  for (int i = 0; i < kThreads; i++) pthread_create(&t[i], NULL, first_call, &results[i]);
  for (int i = 0; i < kThreads; i++) pthread_join(t[i], NULL), right += results[i] == 702;
  pthread_barrier_destroy(&barrier);
  printf("%d threads calling call_later_mt(7) first, at once: %d got 702\n", kThreads, right);
}

/* Calls call_missing(1) in a child; prints its stderr (the program name
 * and the plugin directory replaced) and how it ended. */
static void call_missing_in_child(void *user) {
  int (*f)(int) = FN(int (*)(int), user, "call_missing");
  int fds[2];
  fflush(stdout);
  if (pipe(fds) != 0) return;
  pid_t pid = fork();
  if (pid == 0) {
    dup2(fds[1], 2);
    printf("call_missing(1) returned %d\n", f(1));
    fflush(stdout);
    _exit(0);
  }
  close(fds[1]);
  char err[4096], out[4096];
  size_t n = 0;
  ssize_t r;
  while (n + 1 < sizeof err && (r = read(fds[0], err + n, sizeof err - 1 - n)) > 0) n += (size_t)r;
  err[n] = 0;
  close(fds[0]);
  int status = 0;
  waitpid(pid, &status, 0);
  const char *msg = strstr(err, ": symbol lookup error: ");
  printf("child stderr: %s", msg ? "<program>" : "");
  printf("%s", replace_dir(msg ? msg : err, out, sizeof out));
  if (WIFEXITED(status)) printf("child exit status %d\n", WEXITSTATUS(status));
  else printf("child killed by signal %d\n", WTERMSIG(status));
}

/* The dlerror() text with the plugin directory replaced, and the symbol
 * replaced by "<an undefined function>" when it is one of the five that
 * liblazy_user.so calls: which one a loader names first is the order of
 * the linker's .rela.plt (GNU ld and lld differ). */
static void print_undefined_error(void) {
  static const char *const funcs[] = {"lazy_later", "lazy_later_fp", "lazy_later_vsum", "lazy_later_mt",
                                      "lazy_missing"};
  char buf[4096];
  const char *e = replace_dir(dlerror(), buf, sizeof buf);
  const char *sym = strstr(e, "undefined symbol: ");
  if (sym) {
    sym += strlen("undefined symbol: ");
    for (size_t i = 0; i < sizeof funcs / sizeof funcs[0]; i++)
      if (!strcmp(sym, funcs[i])) {
        printf("dlerror: %.*s<an undefined function>\n", (int)(sym - e), e);
        return;
      }
  }
  printf("dlerror: %s\n", e);
}

static void try_open(const char *label, const char *name, int flags) {
  fflush(stdout);
  void *h = dlopen(plugin_path(name), flags);
  printf("%s: %s\n", label, h ? "loaded" : "failed");
  if (h) dlclose(h);
  else print_undefined_error();
}

int main(int argc, char **argv) {
  test_init(argc, argv);
  try_open("RTLD_NOW", "liblazy_user.so", RTLD_NOW);
  try_open("RTLD_LAZY, a data reference", "liblazy_data.so", RTLD_LAZY);
  try_open("RTLD_LAZY, linked -z now", "liblazy_now.so", RTLD_LAZY);

  fflush(stdout);
  void *user = dlopen(plugin_path("liblazy_user.so"), RTLD_LAZY);
  printf("RTLD_LAZY: %s\n", user ? "loaded" : "failed");
  if (!user) {
    print_undefined_error();
    return 0;
  }
  printf("lazy_present(21) = %d\n", FN(int (*)(int), user, "lazy_present")(21));

  void *late = must_open("liblazy_late.so", RTLD_NOW | RTLD_GLOBAL);
  printf("call_later(4) = %d\n", FN(int (*)(int), user, "call_later")(4));
  printf("call_later_fp(1.5, 4, 3) = %g\n", FN(double (*)(double, double, int), user, "call_later_fp")(1.5, 4, 3));
  printf("call_later_vsum() = %g\n", FN(double (*)(void), user, "call_later_vsum")());
  race_first_call(user);

  printf("dlclose(late) = %d\n", dlclose(late));
  printf("late loaded after its dlclose: %s\n", plugin_loaded("liblazy_late.so") ? "yes" : "no");
  printf("call_later(5) = %d\n", FN(int (*)(int), user, "call_later")(5));

  call_missing_in_child(user);
  printf("call_later(6) = %d\n", FN(int (*)(int), user, "call_later")(6));

  printf("dlclose(user) = %d\n", dlclose(user));
  printf("late loaded after the user's dlclose: %s\n", plugin_loaded("liblazy_late.so") ? "yes" : "no");
  return 0;
}
