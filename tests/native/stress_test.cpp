// native.stress: the loader core under ThreadSanitizer.
//
// 8 threads, each for a bounded number of iterations (argv[1], default 5000)
// or a time limit (argv[2] seconds, default 30): open a fixture (by path, or
// from one shared memory image), look symbols up, call into the plugin
// outside the lock, walk the module list under the loader lock the way
// dl_iterate_phdr and dladdr do, and close. Objects are shared between
// threads (libnat_c is both opened directly and a dependency of libnat_a),
// so opens, reuses and unloads of the same module interleave.
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <atomic>

#include "native_common.h"

using namespace native;

namespace {

constexpr int kThreads = 8;
int g_iterations = 5000;
double g_deadline = 0;
std::vector<uint8_t> g_image;  // libnat_ifunc.so, read once, shared read-only

std::atomic<long> g_opens{0}, g_calls{0}, g_walks{0}, g_errors{0};

// What dl_iterate_phdr reads for each module, and dladdr's containment test.
long walk_modules(uintptr_t probe) {
  staticdl::LoaderLock lock;
  long sum = 0;
  for (staticdl::Module* m : staticdl::loaded_modules()) {
    sum += static_cast<long>(m->lm.l_addr & 0xff) + (m->lm.l_name ? strlen(m->lm.l_name) : 0);
    for (const Elf64_Phdr& ph : m->phdrs) sum += ph.p_type == PT_LOAD;
    for (const staticdl::Segment& s : m->segments) sum += s.prot;
  }
  sum += staticdl::module_containing(probe) != nullptr;
  sum += static_cast<long>(staticdl::load_count() - staticdl::unload_count());
  return sum;
}

void fail(const char* what, const std::string& detail) {
  g_errors++;
  fprintf(stderr, "native.stress: %s: %s\n", what, detail.c_str());
}

// One open/use/close of fixture `which`; failures count in g_errors.
void one(int which) {
  Opened o;
  switch (which) {
    case 0: o = open_path(plugin("libnat_hostcall.so")); break;
    case 1: o = open_path(plugin("libnat_a.so"), RTLD_NOW | RTLD_GLOBAL); break;
    case 2: o = open_path(plugin("libnat_c.so")); break;
    case 3: o = open_path(plugin("libnat_versioned.so")); break;
    case 4: o = open_memory(g_image.data(), g_image.size(), "mem:libnat_ifunc.so"); break;
    default: o = open_path(plugin("libnat_undef.so")); break;  // fails: undefined symbol
  }
  if (which > 4) {
    if (o) fail("libnat_undef.so", "opened"), close(o.m);
    return;
  }
  if (!o) return fail("open", o.error);
  g_opens++;
  uintptr_t probe = 0;
  bool ok = true;
  switch (which) {
    case 0: {
      auto run = reinterpret_cast<int (*)(int)>(sym(o.m, "hostcall_run"));
      auto init = reinterpret_cast<int (*)()>(sym(o.m, "hostcall_init_value"));
      ok = run && init && run(99) == 101 && init() == 7;
      probe = reinterpret_cast<uintptr_t>(run);
      break;
    }
    case 1: {
      auto a = reinterpret_cast<int (*)(int)>(sym(o.m, "chain_a"));
      ok = a && a(1) == 1321;
      probe = reinterpret_cast<uintptr_t>(a);
      break;
    }
    case 2: {
      auto c = reinterpret_cast<int (*)(int)>(sym(o.m, "chain_c"));
      ok = c && c(5) == 53;
      probe = reinterpret_cast<uintptr_t>(c);
      break;
    }
    case 3: {
      auto v1 = reinterpret_cast<int (*)()>(sym(o.m, "vfoo", "V1"));
      auto v2 = reinterpret_cast<int (*)()>(sym(o.m, "vfoo"));
      ok = v1 && v2 && v1() == 1 && v2() == 2;
      probe = reinterpret_cast<uintptr_t>(v1);
      break;
    }
    case 4: {
      auto sum = reinterpret_cast<int (*)()>(sym(o.m, "ifunc_sum"));
      ok = sum && sum() == 42;
      probe = reinterpret_cast<uintptr_t>(sum);
      break;
    }
  }
  g_calls++;
  if (!ok) fail("call", "wrong result from a fixture");
  walk_modules(probe);
  g_walks++;
  if (!close(o.m)) fail("close", "close_object failed");
}

void* worker(void* arg) {
  unsigned id = static_cast<unsigned>(reinterpret_cast<uintptr_t>(arg));
  unsigned rng = 2463534242u ^ (id * 2654435761u);
  for (int i = 0; i < g_iterations && now_seconds() < g_deadline; i++) {
    rng ^= rng << 13, rng ^= rng >> 17, rng ^= rng << 5;  // xorshift32
    one(static_cast<int>(rng % 6));
    walk_modules(0);
    g_walks++;
  }
  return nullptr;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc > 1) g_iterations = atoi(argv[1]);
  double limit = argc > 2 ? atof(argv[2]) : 30.0;
  setup_host_scope();
  g_image = read_file(plugin("libnat_ifunc.so"));
  if (g_image.empty()) return fprintf(stderr, "cannot read libnat_ifunc.so\n"), 1;
  int fds0 = fd_count();
  double t0 = now_seconds();
  g_deadline = t0 + limit;
  pthread_t th[kThreads];
  for (int i = 0; i < kThreads; i++)
    if (pthread_create(&th[i], nullptr, worker, reinterpret_cast<void*>(static_cast<uintptr_t>(i))) != 0)
      return fprintf(stderr, "pthread_create failed\n"), 1;
  for (pthread_t t : th) pthread_join(t, nullptr);
  double secs = now_seconds() - t0;
  size_t left = module_count();
  int fds1 = fd_count();
  size_t mapped = maps_matching(plugin_dir()).size();
  bool pass = g_errors == 0 && left == 0 && fds1 == fds0 && mapped == 0 && g_opens > 0;
  printf("native.stress: %d threads x up to %d iterations in %.1f s%s: %ld opens, %ld calls, %ld module-list walks, "
         "%ld errors; %zu modules left, fds %d -> %d, %zu plugin mappings left\n",
         kThreads, g_iterations, secs, now_seconds() >= g_deadline ? " (time limit reached)" : "", g_opens.load(),
         g_calls.load(), g_walks.load(), g_errors.load(), left, fds0, fds1, mapped);
  printf("native.stress: %s (TSan halts on the first report)\n", pass ? "PASSED" : "FAILED");
  return pass ? 0 : 1;
}
