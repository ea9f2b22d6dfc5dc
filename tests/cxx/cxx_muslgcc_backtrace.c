/* cxx_muslgcc_backtrace (staticdl only): a host built with Debian's
 * musl-gcc, whose libgcc_eh unwinder finds frames with _dl_find_object
 * (staticdl's). A C plugin with unwind tables calls a host callback that
 * runs _Unwind_Backtrace: the walk goes through the plugin's frames
 * (dladdr names them) and reaches main. */
#include <stdint.h>
#include <unwind.h>

#include "common.h"

struct walk {
  const char *plugin; /* dli_fname of the plugin */
  int frames;
  int reached_main;
};

static _Unwind_Reason_Code on_frame(struct _Unwind_Context *ctx, void *arg) {
  struct walk *w = (struct walk *)arg;
  uintptr_t pc = _Unwind_GetIP(ctx);
  Dl_info info;
  if (!pc || w->reached_main || ++w->frames > 64) return _URC_END_OF_STACK;
  if (!dladdr((void *)(pc - 1), &info)) {
    printf("  (no dladdr)\n");
    return _URC_NO_REASON;
  }
  if (info.dli_fname && strcmp(info.dli_fname, w->plugin) == 0) {
    printf("  plugin %s\n", info.dli_sname ? info.dli_sname : "(no name)");
  } else if (info.dli_sname && (strcmp(info.dli_sname, "main") == 0 ||
                                strcmp(info.dli_sname, "host_bt_callback") == 0)) {
    printf("  host %s\n", info.dli_sname);
    if (strcmp(info.dli_sname, "main") == 0) w->reached_main = 1;
  }
  return _URC_NO_REASON;
}

static const char *g_plugin;

__attribute__((noinline)) int host_bt_callback(int depth) {
  struct walk w = {g_plugin, 0, 0};
  printf("backtrace at depth %d:\n", depth);
  _Unwind_Backtrace(on_frame, &w);
  printf("reached main: %s\n", w.reached_main ? "yes" : "no");
  fflush(stdout);
  return w.reached_main;
}

int main(int argc, char **argv) {
  void *h;
  void *entry;
  Dl_info info;
  volatile int r;
  test_init(argc, argv);
  h = must_open("libmg_backtrace.so", RTLD_NOW);
  entry = must_sym(h, "mg_entry");
  CHECK(dladdr(entry, &info) && info.dli_fname);
  g_plugin = info.dli_fname;
  printf("plugin: %s\n", base_name(g_plugin));
  r = ((int (*)(int (*)(int)))entry)(host_bt_callback);
  printf("mg_entry = %d\n", r);
  printf("dlclose = %d\n", dlclose(h));
  return 0;
}
