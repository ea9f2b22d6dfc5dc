/* A small plugin (perf cases 5 and 6): a handful of exports, data with
 * pointers, and a few libc references (JUMP_SLOT / GLOB_DAT). */
#include <stdlib.h>
#include <string.h>

int small_value = 42;
const char* small_names[] = {"alpha", "beta", "gamma", "delta"};

const char* small_name(int i) { return small_names[i & 3]; }
size_t small_len(const char* s) { return strlen(s); }
void* small_alloc(size_t n) { return malloc(n); }
void small_free(void* p) { free(p); }
char* small_dup(const char* s) { return strdup(s); }
int small_cmp(const char* a, const char* b) { return strcmp(a, b); }
