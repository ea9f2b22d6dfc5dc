// Test-only hooks (include/staticdl/testing.h).
#include <staticdl/testing.h>

#include "fault.h"
#include "ldcache.h"
#include "registry.h"
#include "tls.h"

namespace {
staticdl_fault_hook g_user_hook = nullptr;

bool forward(staticdl::FaultSite site) {
  staticdl_fault_hook h = __atomic_load_n(&g_user_hook, __ATOMIC_ACQUIRE);
  return h && h(static_cast<staticdl_fault_site>(site)) != 0;
}
}  // namespace

static_assert(static_cast<int>(staticdl::FaultSite::Read) == STATICDL_FAULT_READ, "fault site numbering");

extern "C" void staticdl_test_set_fault_hook(staticdl_fault_hook hook) {
  __atomic_store_n(&g_user_hook, hook, __ATOMIC_RELEASE);
  __atomic_store_n(&staticdl::g_fault_hook, hook ? &forward : nullptr, __ATOMIC_RELEASE);
}

extern "C" unsigned long long staticdl_test_tls_bytes(void) { return staticdl::tls_bytes_in_use(); }

extern "C" void staticdl_test_tls_reserve(unsigned long long* size, unsigned long long* used) {
  staticdl::TlsReserveInfo r = staticdl::tls_reserve_info();
  *size = r.size;
  *used = r.used;
}

extern "C" void staticdl_test_set_ld_cache(const char* path) {
  staticdl::LoaderLock lock;
  staticdl::ldcache_set_path(path);
}
