// Hybrid mode: staticdl inside a dynamically linked glibc process.
//
// There the system loader (ld.so) has already loaded the executable and its
// DT_NEEDED closure: libc.so.6, libm, libgcc_s, libstdc++... staticdl must
// not load a second copy of any of them, and must bind to them exactly as
// ld.so would bind a dlopen()ed object. So in hybrid mode the loader's host
// scope (loader/host.h, SystemScope) is ld.so's global scope, reached
// through glibc's own dlfcn:
//   symbols   dlsym(RTLD_DEFAULT, name), or dlvsym(RTLD_DEFAULT, name,
//             version) for a versioned reference (memcpy@GLIBC_2.14 and
//             memcpy@GLIBC_2.2.5 are different functions). glibc applies its
//             own rules on the way: IFUNCs come back resolved, STB_GNU_UNIQUE
//             definitions come back as the one process-wide copy, protected
//             and hidden symbols are skipped.
//   objects   a DT_NEEDED name the system loader has loaded (dlopen with
//             RTLD_NOLOAD finds it by name or by file identity) is satisfied
//             by that object; anything else is loaded by staticdl.
//   dladdr    addresses outside staticdl's modules go to glibc's dladdr.
// Thread-local variables of system objects: dlsym returns the calling
// thread's instance. Objects loaded at startup sit in static TLS at a fixed
// offset from the thread pointer, so the address minus the executable's TLS
// block is the same offset in every thread; the loader treats it as an
// offset in module 1 (the host's block). Objects glibc dlopen()ed later may
// have dynamic TLS, and references into their TLS are not supported.
//
// The rest of hybrid mode lives where the static host's counterpart does:
// dlfcn.cpp (the dl* names as builtin overrides), introspect.cpp (glibc's
// objects first in dl_iterate_phdr), unwind.cpp (libgcc_s registration).
#include <dlfcn.h>
#include <link.h>
#include <string.h>

#include "host.h"
#include "registry.h"
#include "runtime.h"
#include "search.h"
#include "thread_walk.h"
#include "tls.h"

namespace staticdl {

namespace {

// ---- initializer arguments -------------------------------------------------

// glibc calls every initializer of the executable with (argc, argv, envp);
// staticdl passes the same to its modules' initializers (Rust's std takes
// std::env::args() from there).
void capture_args(int argc, char** argv, char** envp) { set_init_args(argc, argv, envp); }
__attribute__((section(".init_array"), used)) void (*const g_capture_args)(int, char**, char**) = capture_args;

// ---- the system scope ------------------------------------------------------

// A TLS address of the calling thread: static TLS lies just below the
// thread pointer (x86_64, variant II) or just above it (aarch64, variant I),
// and belongs to no object's segments.
bool is_static_tls_address(uintptr_t a) {
  constexpr uintptr_t kSpan = uintptr_t(1) << 20;
  uintptr_t tp = thread_pointer();
#if defined(__x86_64__)
  if (a >= tp || tp - a > kSpan) return false;
#else
  if (a < tp || a - tp > kSpan) return false;
#endif
  Dl_info info;
  return dladdr(reinterpret_cast<void*>(a), &info) == 0;
}

bool sys_find(const SymName& n, const VersionReq& v, HostSymbol* out) {
  void* a = v.name ? dlvsym(RTLD_DEFAULT, n.name, v.name) : dlsym(RTLD_DEFAULT, n.name);
  if (!a) {
    (void)dlerror();  // leave glibc's dlerror() state as it was
    return false;
  }
  *out = HostSymbol();
  out->value = reinterpret_cast<uintptr_t>(a);
  out->type = STT_FUNC;  // or data: relocations only tell TLS apart
  if (is_static_tls_address(out->value)) {
    ModuleTls host;
    tls_host_info(&host);
    out->type = STT_TLS;
    out->value -= thread_pointer() + static_cast<uintptr_t>(host.tpoff);
  }
  return true;
}

bool sys_has_library(const char* name) {
  void* h = dlopen(name, RTLD_LAZY | RTLD_NOLOAD);
  if (!h) {
    (void)dlerror();
    return false;
  }
  dlclose(h);
  return true;
}

const SystemScope kSystemScope = {sys_find, sys_has_library};

// ld.so's default directories for this architecture (after RPATH,
// STATICDL_LIBRARY_PATH and RUNPATH, as ld.so puts its defaults last).
#if defined(__x86_64__)
#define STATICDL_MULTIARCH "x86_64-linux-gnu"
#elif defined(__aarch64__)
#define STATICDL_MULTIARCH "aarch64-linux-gnu"
#endif
const char* const kSystemDirs[] = {"/lib/" STATICDL_MULTIARCH, "/usr/lib/" STATICDL_MULTIARCH, "/lib64", "/usr/lib64",
                                   "/lib", "/usr/lib"};

}  // namespace

void install_hybrid_host() {
  set_system_scope(&kSystemScope);
  for (const char* d : kSystemDirs) (void)add_search_dir(d);
  // Exceptions and panics in staticdl's modules unwind through the
  // process's libgcc_s (unwind.cpp registers their frames with it). A host
  // that links no C++ or Rust code may have none yet: then the system
  // loader loads it, so that there is exactly one in the process.
  if (!dlsym(RTLD_DEFAULT, "__register_frame_info")) {
    (void)dlerror();
    if (!dlopen("libgcc_s.so.1", RTLD_NOW | RTLD_GLOBAL)) (void)dlerror();
  }
}

}  // namespace staticdl
