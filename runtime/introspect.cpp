// dl_iterate_phdr and dladdr over the host and every loaded plugin.
//
// Unwinders (LLVM libunwind in zig hosts) find FDEs by walking
// dl_iterate_phdr for the object whose PT_LOAD contains the PC and then
// reading its PT_GNU_EH_FRAME, so reporting plugins here is what makes
// exceptions and backtraces work through plugin frames.
//
// In hybrid mode the "host" is every object of the system loader: they are
// reported by glibc's own dl_iterate_phdr/dladdr, then staticdl's modules.
#include <string.h>
#include <sys/auxv.h>

#include "host.h"
#include "lookup.h"
#include "tls.h"
#include "registry.h"
#include "search.h"
#include "runtime.h"
#include <staticdl/staticdl.h>

namespace staticdl {

namespace {

void host_phdr_info(struct dl_phdr_info* info) {
  const HostInfo& h = host_info();
  memset(info, 0, sizeof *info);
  info->dlpi_addr = h.bias;
  info->dlpi_name = "";
  info->dlpi_phdr = h.phdr;
  info->dlpi_phnum = h.phnum;
  info->dlpi_adds = load_count();
  info->dlpi_subs = unload_count();
}

void module_phdr_info(Module* m, struct dl_phdr_info* info) {
  memset(info, 0, sizeof *info);
  info->dlpi_addr = m->bias;
  info->dlpi_name = m->name.c_str();
  info->dlpi_phdr = m->phdrs.begin();
  info->dlpi_phnum = static_cast<uint16_t>(m->phdrs.size());
  info->dlpi_tls_modid = m->tls.modid;
  info->dlpi_tls_data = m->tls.modid ? tls_block_if_allocated(m->tls.modid) : nullptr;
  info->dlpi_adds = load_count();
  info->dlpi_subs = unload_count();
}

// The defined symbol of m nearest at or below addr (exact containment first).
const Elf64_Sym* nearest_symbol(Module* m, uintptr_t addr) {
  const Elf64_Sym* best = nullptr;
  for (uint32_t i = 0; i < m->syms.nsyms; i++) {
    const Elf64_Sym* s = &m->syms.syms[i];
    int type = ELF64_ST_TYPE(s->st_info);
    if (s->st_shndx == SHN_UNDEF || type == STT_TLS || type == STT_SECTION || type == STT_FILE) continue;
    uintptr_t v = m->bias + s->st_value;
    if (v > addr || !m->syms.name_of(i)) continue;
    bool inside = addr < v + (s->st_size ? s->st_size : 1);
    bool best_inside = best && addr < m->bias + best->st_value + (best->st_size ? best->st_size : 1);
    if (!best || (inside && !best_inside) || (inside == best_inside && v > m->bias + best->st_value)) best = s;
  }
  return best;
}

#if STATICDL_HYBRID
// glibc's objects first, with staticdl's load/unload counts added so that
// caches keyed on dlpi_adds/dlpi_subs see staticdl's changes too.
struct SystemWalk {
  int (*cb)(struct dl_phdr_info*, size_t, void*);
  void* data;
};
int system_object(struct dl_phdr_info* info, size_t size, void* p) {
  SystemWalk* w = static_cast<SystemWalk*>(p);
  struct dl_phdr_info copy;
  memset(&copy, 0, sizeof copy);
  memcpy(&copy, info, size < sizeof copy ? size : sizeof copy);
  copy.dlpi_adds += load_count();
  copy.dlpi_subs += unload_count();
  return w->cb(&copy, sizeof copy, w->data);
}
#endif

}  // namespace

int iterate_phdr(int (*cb)(struct dl_phdr_info*, size_t, void*), void* data) {
  struct dl_phdr_info info;
#if STATICDL_HYBRID
  SystemWalk w{cb, data};
  if (int r = dl_iterate_phdr(system_object, &w)) return r;
#else
  host_phdr_info(&info);
  if (int r = cb(&info, sizeof info, data)) return r;
#endif
  const Vec<Module*>& mods = loaded_modules();
  for (size_t i = 0; i < mods.size(); i++) {
    if (mods[i]->open_count < 0) continue;  // being unloaded
    module_phdr_info(mods[i], &info);
    if (int r = cb(&info, sizeof info, data)) return r;
  }
  return 0;
}

int find_address(const void* addr, Dl_info* info) { return find_address1(addr, info, nullptr, 0); }

int find_address1(const void* addr, Dl_info* info, void** extra, int flags) {
  uintptr_t a = reinterpret_cast<uintptr_t>(addr);
  memset(info, 0, sizeof *info);
  if (extra) *extra = nullptr;
  if (Module* m = module_containing(a)) {
    info->dli_fname = m->name.c_str();
    info->dli_fbase = m->image.data();
    const Elf64_Sym* s = nearest_symbol(m, a);
    if (s) {
      info->dli_sname = m->syms.name_of(static_cast<uint32_t>(s - m->syms.syms));
      info->dli_saddr = reinterpret_cast<void*>(m->bias + s->st_value);
    }
    if (extra && flags == RTLD_DL_SYMENT) *extra = const_cast<Elf64_Sym*>(s);
    if (extra && flags == RTLD_DL_LINKMAP) *extra = &m->lm;
    return 1;
  }
#if STATICDL_HYBRID
  return extra ? dladdr1(addr, info, extra, flags) : dladdr(addr, info);  // glibc's
#else
  if (extra && flags == RTLD_DL_LINKMAP) *extra = &host_handle()->lm;
  const char* sname = nullptr;
  void* saddr = nullptr;
  if (!host_find_address(a, &sname, &saddr)) return 0;
  const HostInfo& h = host_info();
  info->dli_fname = h.path;
  uintptr_t lowest = UINTPTR_MAX;
  for (uint16_t i = 0; i < h.phnum; i++)
    if (h.phdr[i].p_type == PT_LOAD && h.phdr[i].p_vaddr < lowest) lowest = h.phdr[i].p_vaddr;
  info->dli_fbase = reinterpret_cast<void*>(h.bias + (lowest == UINTPTR_MAX ? 0 : lowest));
  info->dli_sname = sname;
  info->dli_saddr = saddr;
  return 1;
#endif
}

int foreach_symbol(Module* m, int (*fn)(const char*, void*, void*), void* data) {
  for (uint32_t i = 0; i < m->syms.nsyms; i++) {
    const Elf64_Sym* s = &m->syms.syms[i];
    int bind = ELF64_ST_BIND(s->st_info);
    if (s->st_shndx == SHN_UNDEF || (bind != STB_GLOBAL && bind != STB_WEAK && bind != STB_GNU_UNIQUE)) continue;
    const char* name = m->syms.name_of(i);
    if (!name || !*name) continue;
    int type = ELF64_ST_TYPE(s->st_info);
    uintptr_t v = type == STT_TLS ? s->st_value : symbol_value(*m, *s);
    Definition d{v, s, m, type == STT_GNU_IFUNC, s->st_size};
    if (d.ifunc) v = m->run_code && definition_ok(d) ? definition_address(d) : 0;  // what dlsym returns
    if (int r = fn(name, reinterpret_cast<void*>(v), data)) return r;
  }
  return 0;
}

namespace {
struct SerinfoFill {
  Dl_serinfo* si;
  bool counting;
  unsigned int idx;
  char* strings;  // the next name's place, after the Dl_serpath array
};

void serinfo_dir(const char* dir, void* ctx) {
  SerinfoFill& f = *static_cast<SerinfoFill*>(ctx);
  size_t len = strlen(dir) + 1;
  if (f.counting) {
    f.si->dls_cnt++;
    f.si->dls_size += len;
    return;
  }
  // The caller's buffer holds what RTLD_DI_SERINFOSIZE counted; nothing
  // is written past it, should the paths have changed since.
  if (f.idx >= f.si->dls_cnt || f.strings + len > reinterpret_cast<char*>(f.si) + f.si->dls_size) return;
  memcpy(f.strings, dir, len);
  f.si->dls_serpath[f.idx++] = Dl_serpath{f.strings, 0};
  f.strings += len;
}
}  // namespace

// glibc's layout: dls_size counts the header, the array and the strings.
bool search_info(const Module* m, void* serinfo, bool counting) {
  Dl_serinfo* si = static_cast<Dl_serinfo*>(serinfo);
  SearchFrom from;
  if (!search_from(m, &from)) return false;
  if (counting) si->dls_cnt = 0, si->dls_size = 0;
  SerinfoFill f{si, counting, 0, reinterpret_cast<char*>(&si->dls_serpath[si->dls_cnt])};
  search_dirs(from, serinfo_dir, &f);
  if (counting) si->dls_size += reinterpret_cast<char*>(&si->dls_serpath[si->dls_cnt]) - reinterpret_cast<char*>(si);
  return true;
}

}  // namespace staticdl
