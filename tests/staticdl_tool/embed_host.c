/* A static host that carries its plugins inside (staticdl_embed_plugins):
 * run from an empty directory, it lists them and loads two, which bring
 * in the third as their DT_NEEDED. */
#include <stdio.h>
#include <string.h>

#include <staticdl/staticdl.h>

__attribute__((used)) int host_callback(int x) { return x + 100; } /* for libsdlt_emb_one.so */

static void *open_one(const char *name) {
  void *h = staticdl_open_embedded(name, RTLD_NOW);
  if (!h) printf("%s: FAILED: %s\n", name, dlerror());
  return h;
}

int main(void) {
  size_t n = 0;
  const char *const *names = staticdl_list_embedded(&n);
  printf("embedded: %zu\n", n);
  for (size_t i = 0; names && names[i]; i++) printf("  %s\n", names[i]);

  int ok = n == 3;
  void *one = open_one("libsdlt_emb_one.so");
  void *two = open_one("libsdlt_emb_two.so"); /* DT_NEEDED libsdlt_emb_dep.so, embedded too */
  if (one) {
    const char *(*f)(void) = (const char *(*)(void))dlsym(one, "emb_one");
    printf("emb_one: %s\n", f ? f() : "(no symbol)");
  }
  if (two) {
    int (*f)(int) = (int (*)(int))dlsym(two, "emb_two");
    printf("emb_two(5): %d\n", f ? f(5) : -1);
  }
  void *none = staticdl_open_embedded("libnot_there.so", RTLD_NOW);
  printf("libnot_there.so: %s\n", none ? "loaded?!" : "NULL");
  ok = ok && one && two && !none;
  if (one) dlclose(one);
  if (two) dlclose(two);
  printf("%s\n", ok ? "OK" : "FAILED");
  return ok ? 0 : 1;
}
