/* A plugin that calls back into its host and uses libc the host never
 * calls itself: strdup and snprintf come from the host's libc through the
 * keep table, host_log from the host's own .dynsym (-rdynamic). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void host_log(const char *msg); /* defined by the host */

static int greetings;

/* Returns a malloc'd greeting; the caller frees it with free(). */
char *greet(const char *name) {
  char buf[128];
  snprintf(buf, sizeof buf, "hello, %s (greeting #%d)", name, ++greetings);
  char *s = strdup(buf);
  if (s) host_log(s);
  return s;
}
