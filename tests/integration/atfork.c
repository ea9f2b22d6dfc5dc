/* atfork: fork handlers a plugin registers with pthread_atfork() run at
 * every fork while it is loaded (prepare and parent in the parent, child
 * in the child), and are dropped when it is unloaded: a fork after dlclose
 * does not call into the unmapped plugin. */
#include "common.h"

#include <sys/wait.h>
#include <unistd.h>

int main(int argc, char **argv) {
  test_init(argc, argv);
  void *h = must_open("libatfork.so", RTLD_NOW);
  int (*counts)(void) = FN(int (*)(void), h, "fork_handler_counts");
  printf("pthread_atfork from the plugin = %d\n", FN(int (*)(void), h, "register_fork_handlers")());
  fflush(stdout);
  pid_t pid = fork();
  if (pid == 0) _exit(counts());  /* the child's counts: 100 + 0 + 1 */
  int status = 0;
  waitpid(pid, &status, 0);
  printf("the parent's counts (prepare, parent, child) = %03d\n", counts());
  printf("the child's counts = %03d\n", WIFEXITED(status) ? WEXITSTATUS(status) : -1);

  printf("dlclose = %d\n", dlclose(h));
  printf("libatfork.so loaded after dlclose: %s\n", plugin_loaded("libatfork.so") ? "yes" : "no");
  fflush(stdout);
  pid = fork();
  if (pid == 0) _exit(7);
  waitpid(pid, &status, 0);
  printf("fork after dlclose: child exit status %d\n", WIFEXITED(status) ? WEXITSTATUS(status) : -1);
  return 0;
}
