/* A field of /proc/self/status in kB (VmRSS, VmData, ...), or -1. Shared
 * by perf/src/bench.c and perf/hybrid/bench_hybrid.c. */
#ifndef STATICDL_PERF_PROC_STATUS_H
#define STATICDL_PERF_PROC_STATUS_H
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static long long status_kb(const char* key) {
  FILE* f = fopen("/proc/self/status", "r");
  char line[256];
  long long v = -1;
  size_t kl = strlen(key);
  if (!f) return -1;
  while (fgets(line, sizeof line, f))
    if (!strncmp(line, key, kl) && line[kl] == ':') {
      v = atoll(line + kl + 1);
      break;
    }
  fclose(f);
  return v;
}
#endif
