/* reldeps: a library that resolved symbols against an RTLD_GLOBAL library
 * it does not list in DT_NEEDED keeps that library loaded (glibc's
 * l_reldeps): dlclose() of the provider's only handle then unloads
 * nothing, the user still reaches the provider's code and data, and the
 * provider goes away with the user. A pointer the executable got from
 * dlsym(RTLD_DEFAULT) keeps its library loaded for good. */
#include "common.h"

int main(int argc, char **argv) {
  test_init(argc, argv);
  void *prov = must_open("libreldeps_provider.so", RTLD_NOW | RTLD_GLOBAL);
  void *user = must_open("libreldeps_user.so", RTLD_NOW);
  printf("reldeps_use() = %d\n", FN(int (*)(void), user, "reldeps_use")());

  printf("dlclose(provider) = %d\n", dlclose(prov));
  printf("provider loaded after its dlclose: %s\n", plugin_loaded("libreldeps_provider.so") ? "yes" : "no");
  printf("reldeps_use() after the provider's dlclose = %d\n", FN(int (*)(void), user, "reldeps_use")());

  printf("dlclose(user) = %d\n", dlclose(user));
  printf("user loaded after its dlclose: %s\n", plugin_loaded("libreldeps_user.so") ? "yes" : "no");
  printf("provider loaded after the user's dlclose: %s\n", plugin_loaded("libreldeps_provider.so") ? "yes" : "no");

  /* Opened again (fresh data), and this time the user goes first. */
  prov = must_open("libreldeps_provider.so", RTLD_NOW | RTLD_GLOBAL);
  user = must_open("libreldeps_user.so", RTLD_NOW);
  printf("reldeps_use() after reopening = %d\n", FN(int (*)(void), user, "reldeps_use")());
  printf("dlclose(user) = %d\n", dlclose(user));
  printf("provider loaded after the user's dlclose: %s\n", plugin_loaded("libreldeps_provider.so") ? "yes" : "no");
  printf("dlclose(provider) = %d\n", dlclose(prov));
  printf("provider loaded after its dlclose: %s\n", plugin_loaded("libreldeps_provider.so") ? "yes" : "no");

  /* dlsym(RTLD_DEFAULT) called by a library binds that library to the
   * definition, as a relocation would. */
  prov = must_open("libreldeps_provider.so", RTLD_NOW | RTLD_GLOBAL);
  void *finder = must_open("libreldeps_finder.so", RTLD_NOW);
  int (*found)(void) = (int (*)(void))FN(void *(*)(const char *), finder, "reldeps_find")("reldeps_next");
  printf("RTLD_DEFAULT reldeps_next from a library: %s\n", found ? "found" : "not found");
  printf("dlclose(provider) = %d\n", dlclose(prov));
  printf("provider loaded after its dlclose: %s\n", plugin_loaded("libreldeps_provider.so") ? "yes" : "no");
  if (found) printf("reldeps_next() through that pointer = %d\n", found());
  printf("dlclose(finder) = %d\n", dlclose(finder));
  printf("provider loaded after the finder's dlclose: %s\n", plugin_loaded("libreldeps_provider.so") ? "yes" : "no");

  /* dlsym(RTLD_DEFAULT) from the executable binds it to the definition for
   * good, as a relocation of the executable would: the defining library is
   * never unloaded after that (glibc marks it NODELETE). */
  prov = must_open("libreldeps_provider.so", RTLD_NOW | RTLD_GLOBAL);
  int (*next)(void) = (int (*)(void))dlsym(RTLD_DEFAULT, "reldeps_next");
  printf("RTLD_DEFAULT reldeps_next: %s\n", next ? "found" : "not found");
  printf("dlclose(provider) = %d\n", dlclose(prov));
  printf("provider loaded after its dlclose: %s\n", plugin_loaded("libreldeps_provider.so") ? "yes" : "no");
  if (next) printf("reldeps_next() through the RTLD_DEFAULT pointer = %d\n", next());
  return 0;
}
