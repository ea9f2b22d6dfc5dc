/* rustc, made of this small dynamically linked glibc program and the
 * installed Rust toolchain's compiler driver, loaded by staticdl instead of
 * ld.so:
 *
 *   <sysroot>/lib/librustc_driver-<hash>.so   the whole compiler
 *   <sysroot>/lib/libLLVM.so.<ver>-rust-...   its DT_NEEDED (RUNPATH $ORIGIN/../lib)
 *
 * staticdl maps both, binds them to this process's glibc, libgcc_s and
 * libm (hybrid mode), gives them their initial-exec TLS from the host's
 * reserve, and runs their initializers with this program's argc/argv, where
 * Rust's std picks up std::env::args(). The entry point is
 * rustc_driver_impl::main, found by its mangled name; it runs the compiler
 * with our arguments and exits. When rustc then dlopen()s a proc-macro
 * crate, that call reaches staticdl (the driver's dlopen is bound to
 * staticdl_dlopen), so proc macros run in staticdl's modules as well.
 *
 * rustc finds its sysroot from dladdr() on its own code, which staticdl
 * answers with the path opened here, so no --sysroot is needed.
 *
 * The sysroot: $STATICDL_RUSTC_SYSROOT, else the one `rustc --print
 * sysroot` printed when this program was built (RUSTC_SYSROOT). */
#define _GNU_SOURCE 1
#include <glob.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <staticdl/staticdl.h>

#ifndef RUSTC_SYSROOT
#define RUSTC_SYSROOT ""
#endif

/* rustc_driver_impl::main in v0 mangling (_RNvCs<hash>_17rustc_driver_impl4main)
 * or legacy mangling (_ZN17rustc_driver_impl4main17h<hash>E). */
static int is_driver_main(const char* name, void* addr, void* data) {
  const char* p = strstr(name, "17rustc_driver_impl4main");
  if (!p) return 0;
  p += strlen("17rustc_driver_impl4main");
  if (*p != 0 && strncmp(p, "17h", 3) != 0) return 0;
  *(void**)data = addr;
  return 1;
}

static char* find_driver(const char* sysroot) {
  char pattern[4096];
  snprintf(pattern, sizeof pattern, "%s/lib/librustc_driver-*.so", sysroot);
  glob_t g;
  if (glob(pattern, 0, NULL, &g) != 0 || g.gl_pathc == 0) {
    fprintf(stderr, "rustc-host: no %s\n", pattern);
    return NULL;
  }
  char* path = strdup(g.gl_pathv[0]);
  globfree(&g);
  return path;
}

int main(void) {
  const char* sysroot = getenv("STATICDL_RUSTC_SYSROOT");
  if (!sysroot || !*sysroot) sysroot = RUSTC_SYSROOT;
  if (!*sysroot) {
    fprintf(stderr, "rustc-host: no Rust sysroot (set STATICDL_RUSTC_SYSROOT)\n");
    return 127;
  }
  char* driver = find_driver(sysroot);
  if (!driver) return 127;
  /* RTLD_GLOBAL, as ld.so loads a program's DT_NEEDED: proc macros bind
   * to the driver's std/proc_macro symbols like they do under rustc. */
  void* h = staticdl_dlopen(driver, RTLD_NOW | RTLD_GLOBAL);
  if (!h) {
    fprintf(stderr, "rustc-host: %s\n", staticdl_dlerror());
    return 127;
  }
  void* entry = NULL;
  if (staticdl_foreach_symbol(h, is_driver_main, &entry) <= 0 || !entry) {
    fprintf(stderr, "rustc-host: %s: no rustc_driver_impl::main\n", driver);
    return 127;
  }
  free(driver);
  /* fn main() -> ! in current toolchains; an older ExitCode (u8) return is
   * passed on. */
  unsigned char (*driver_main)(void) = (unsigned char (*)(void))entry;
  return driver_main();
}
