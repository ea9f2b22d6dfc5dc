/* add_symbol: staticdl_add_symbol/staticdl_add_symbols make a plugin's
 * undefined references resolve to addresses the host hands over (static
 * functions and data the host does not export), and an explicit symbol
 * wins over the host's own exported definition of the same name.
 * staticdl-only (glibc has no such API). */
#include "common.h"
#include <staticdl/staticdl.h>

static int secret_impl(int x) { return x * 100 + 7; }
static int secret_a_impl(void) { return 4; }
static int secret_b_impl(void) { return 2; }
static int secret_data_store = 50;

/* Exported by the host (-rdynamic), but overridden explicitly below. */
__attribute__((used, noinline)) int override_me(void) { return 1; }
static int override_impl(void) { return 2; }

int main(int argc, char **argv) {
  void *h;
  static const struct staticdl_symbol syms[] = {
      {"secret_a", (void *)secret_a_impl},
      {"secret_b", (void *)secret_b_impl},
  };
  test_init(argc, argv);

  /* The host exports none of the secret_* names: the plugin cannot load. */
  printf("RTLD_DEFAULT secret_fn before: %s\n", dlsym(RTLD_DEFAULT, "secret_fn") ? "found" : "not found");
  fflush(stdout);
  h = dlopen(plugin_path("libaddsym.so"), RTLD_NOW);
  printf("dlopen before adding: %s\n", h ? "loaded" : "NULL");
  if (h) {
    dlclose(h);
  } else {
    /* Which secret_* is reported first depends on relocation order. */
    char buf[4096];
    const char *e = replace_dir(dlerror(), buf, sizeof buf);
    const char *u = strstr(e, ": undefined symbol: secret_");
    printf("  dlerror: %.*s: undefined symbol: secret_*: %s\n", u ? (int)(u - e) : 0, e,
           u ? "yes" : e);
  }

  printf("staticdl_add_symbol(secret_fn) = %d\n", staticdl_add_symbol("secret_fn", (void *)secret_impl));
  printf("staticdl_add_symbol(secret_data) = %d\n", staticdl_add_symbol("secret_data", &secret_data_store));
  printf("staticdl_add_symbols(2) = %d\n", staticdl_add_symbols(syms, 2));
  printf("staticdl_add_symbol(override_me) = %d\n", staticdl_add_symbol("override_me", (void *)override_impl));

  h = must_open("libaddsym.so", RTLD_NOW);
  printf("addsym_call(3) = %d\n", FN(int (*)(int), h, "addsym_call")(3));
  printf("addsym_ab() = %d\n", FN(int (*)(void), h, "addsym_ab")());
  printf("addsym_data() = %d\n", FN(int (*)(void), h, "addsym_data")());
  printf("secret_data_store = %d\n", secret_data_store);
  printf("addsym_data_addr is the host's: %s\n",
         FN(int *(*)(void), h, "addsym_data_addr")() == &secret_data_store ? "yes" : "no");
  printf("addsym_override() = %d\n", FN(int (*)(void), h, "addsym_override")());
  printf("addsym_override_addr is override_impl: %s\n",
         FN(void *(*)(void), h, "addsym_override_addr")() == (void *)override_impl ? "yes" : "no");
  printf("host's own override_me() = %d\n", override_me());
  printf("dlclose = %d\n", dlclose(h));

  /* Adding a name again replaces its address for later loads. */
  printf("staticdl_add_symbol(secret_a) again = %d\n", staticdl_add_symbol("secret_a", (void *)secret_b_impl));
  h = must_open("libaddsym.so", RTLD_NOW);
  printf("addsym_ab() after replacing secret_a = %d\n", FN(int (*)(void), h, "addsym_ab")());
  printf("dlclose = %d\n", dlclose(h));
  return 0;
}
