// TLS bookkeeping: module ids, per-thread blocks, the static reserve.
// The ABI background is in tls.h.
#include "tls.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include "fault.h"
#include "host.h"
#include "module.h"
#include "range.h"
#include "thread_walk.h"

// The static reserve, defined by runtime/tls_reserve.c (or a host's own
// copy with another size). Its first kReserveHeader bytes hold a marker
// that locates the array inside the host's TLS template.
extern "C" __thread unsigned char staticdl_tls_reserve[] __attribute__((tls_model("initial-exec")));
extern "C" const unsigned long staticdl_tls_reserve_size;

extern "C" uint64_t staticdl_tls_slot_gen[staticdl::kMaxTlsModules];
uint64_t staticdl_tls_slot_gen[staticdl::kMaxTlsModules];
__thread staticdl::ThreadVector staticdl_tls_self = {nullptr, 0, staticdl_tls_slot_gen, staticdl_tls_get_addr_slow};

namespace staticdl {

namespace {

constexpr uint64_t kReserveHeader = 64;
constexpr char kReserveMagic[16] = {'s', 't', 'a', 't', 'i', 'c', 'd', 'l', '-', 't', 'l', 's', '-', 'r', 's', 'v'};
constexpr uint64_t kStaticAlign = 64;  // the reserve array's alignment

// What the slow path needs of a module id, copied so no Module is touched.
struct Slot {
  bool used = false;
  bool is_static = false;
  intptr_t tpoff = 0;
  uintptr_t init = 0;
  uint64_t filesz = 0, memsz = 0, align = 1;
};

// A heap block owned by a thread (thread != null) or by a module (a
// descriptor argument, module != null).
struct Rec {
  Rec* next;
  ThreadVector* thread;
  uint64_t modid;
  const Module* module;
  void* mem;
  uint64_t bytes;
};

struct Chunk {
  uint64_t off, len;
};

struct State {
  pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
  pthread_once_t once = PTHREAD_ONCE_INIT;
  pthread_key_t key;
  Slot slots[kMaxTlsModules];
  Rec* recs = nullptr;
  uint64_t bytes = 0;
  // Static reserve.
  bool reserve_ready = false, reserve_found = false;
  intptr_t reserve_tpoff = 0;    // &staticdl_tls_reserve[0] - tp
  uintptr_t reserve_template = 0;  // its address in the host's TLS template
  uint64_t reserve_used = 0;
  Vec<Chunk> free_chunks;        // sorted by offset
} g;

struct Locked {
  Locked() { pthread_mutex_lock(&g.lock); }
  ~Locked() { pthread_mutex_unlock(&g.lock); }
};

void free_thread(void* p);

void make_key() { pthread_key_create(&g.key, free_thread); }

// At thread exit: free this thread's blocks and vector.
void free_thread(void* p) {
  ThreadVector* tv = static_cast<ThreadVector*>(p);
  Locked l;
  for (Rec** pp = &g.recs; *pp;) {
    Rec* r = *pp;
    if (r->thread != tv) {
      pp = &r->next;
      continue;
    }
    *pp = r->next;
    g.bytes -= r->bytes;
    free(r->mem);
    free(r);
  }
  g.bytes -= tv->len * sizeof(DtvEntry);
  free(tv->dtv);
  tv->dtv = nullptr, tv->len = 0;
}

// Finds the reserve inside the host's TLS template by its marker.
void locate_reserve() {
  if (g.reserve_ready) return;
  g.reserve_ready = true;
  const HostInfo& h = host_layout();
  const unsigned char* mine = &staticdl_tls_reserve[0];
  g.reserve_tpoff = static_cast<intptr_t>(reinterpret_cast<uintptr_t>(mine) - thread_pointer());
  for (uint16_t i = 0; h.phdr && i < h.phnum; i++) {
    const Elf64_Phdr& ph = h.phdr[i];
    if (ph.p_type != PT_TLS || ph.p_filesz < sizeof kReserveMagic) continue;
    const unsigned char* img = reinterpret_cast<const unsigned char*>(h.bias + ph.p_vaddr);
    for (uint64_t off = 0; off + staticdl_tls_reserve_size <= ph.p_filesz; off += 16) {
      if (memcmp(img + off, kReserveMagic, sizeof kReserveMagic) != 0) continue;
      g.reserve_template = reinterpret_cast<uintptr_t>(img + off);
      g.reserve_found = true;
      // The host's block starts `off` bytes before the reserve in every thread.
      g.slots[kHostModid].tpoff = g.reserve_tpoff - static_cast<intptr_t>(off);
      break;
    }
  }
  Chunk all{kReserveHeader, staticdl_tls_reserve_size > kReserveHeader ? staticdl_tls_reserve_size - kReserveHeader : 0};
  if (g.reserve_found && all.len) (void)g.free_chunks.push(all);
  // The host's own TLS block is module 1, at a fixed offset from tp.
  g.slots[kHostModid].used = true;
  g.slots[kHostModid].is_static = true;
  staticdl_tls_slot_gen[kHostModid] = 1;
}

// First fit; `align` <= kStaticAlign so chunk offsets keep the alignment.
bool reserve_alloc(uint64_t len, uint64_t align, uint64_t* off) {
  for (size_t i = 0; i < g.free_chunks.size(); i++) {
    Chunk& c = g.free_chunks[i];
    uint64_t start = (c.off + align - 1) & ~(align - 1);
    if (start + len > c.off + c.len) continue;
    uint64_t end = c.off + c.len;
    *off = start;
    c.len = start - c.off;
    if (end > start + len) {
      Chunk tail{start + len, end - start - len};
      if (c.len == 0) c = tail;
      else if (!g.free_chunks.push(tail)) return false;
    } else if (c.len == 0) {
      g.free_chunks.erase_at(i);
    }
    g.reserve_used += len;
    return true;
  }
  return false;
}

void reserve_free(uint64_t off, uint64_t len) {
  g.reserve_used -= len;
  if (!g.free_chunks.push(Chunk{off, len})) return;  // leaks the chunk, keeps working
  // Coalesce neighbours (the list is short: one entry per hole).
  for (bool merged = true; merged;) {
    merged = false;
    for (size_t i = 0; i < g.free_chunks.size() && !merged; i++)
      for (size_t j = 0; j < g.free_chunks.size() && !merged; j++)
        if (i != j && g.free_chunks[i].off + g.free_chunks[i].len == g.free_chunks[j].off) {
          g.free_chunks[i].len += g.free_chunks[j].len;
          g.free_chunks.erase_at(j);
          merged = true;
        }
  }
}

uint64_t next_gen(size_t id) { return __atomic_add_fetch(&staticdl_tls_slot_gen[id], 1, __ATOMIC_RELEASE); }

Status validate_phdr(const char* name, const Module& m, const Elf64_Phdr& ph) {
  if (ph.p_filesz > ph.p_memsz)
    return fail(Errc::BadElf, "%s: PT_TLS has p_filesz 0x%lx > p_memsz 0x%lx", name, (unsigned long)ph.p_filesz,
                (unsigned long)ph.p_memsz);
  if (ph.p_memsz > (1u << 30)) return fail(Errc::BadElf, "%s: PT_TLS size 0x%lx is too large", name, (unsigned long)ph.p_memsz);
  if (ph.p_align > 1 && (!is_pow2(ph.p_align) || ph.p_align > 4096))
    return fail(Errc::BadElf, "%s: invalid PT_TLS alignment 0x%lx", name, (unsigned long)ph.p_align);
  bool inside = false;
  for (const Segment& s : m.segments)
    inside |= range_contains(s.start, s.filesz, m.bias + ph.p_vaddr, ph.p_filesz);
  if (ph.p_filesz && !inside) return fail(Errc::BadElf, "%s: PT_TLS image is outside the loaded segments", name);
  return Status::ok();
}

// Like glibc, a small dynamic-TLS module goes to static TLS when there is
// room to spare: its TLS descriptors then resolve in two instructions and
// __tls_get_addr needs no allocation. Half of the reserve stays for
// initial-exec modules, which have no other place. Only where every thread
// can be reached (musl); in a glibc process the walk sees one thread.
bool fits_opportunistically(const ModuleTls& t) {
#if defined(__GLIBC__)
  (void)t;
  return false;
#else
  uint64_t total = staticdl_tls_reserve_size > kReserveHeader ? staticdl_tls_reserve_size - kReserveHeader : 0;
  uint64_t len = t.memsz ? t.memsz : 1;
  return g.reserve_found && t.align <= kStaticAlign && len <= 4096 && g.reserve_used + len <= total / 2;
#endif
}

Status place_static(const char* name, ModuleTls& t) {
  if (t.align > kStaticAlign)
    return fail(Errc::Unsupported, "%s: initial-exec TLS alignment %lu exceeds the static reserve's %lu", name,
                (unsigned long)t.align, (unsigned long)kStaticAlign);
  uint64_t len = t.memsz ? t.memsz : 1, off;
  if (!g.reserve_found || !reserve_alloc(len, t.align, &off))
    return fail(Errc::NoMemory,
                "%s: cannot allocate memory in static TLS block (needs %lu bytes; %lu of the host's %lu-byte "
                "reserve are free; link the host with a larger STATICDL_TLS_RESERVE)",
                name, (unsigned long)len, (unsigned long)(staticdl_tls_reserve_size - kReserveHeader - g.reserve_used),
                (unsigned long)(staticdl_tls_reserve_size - kReserveHeader));
  t.is_static = true, t.reserve_off = off, t.reserve_len = len;
  t.tpoff = g.reserve_tpoff + static_cast<intptr_t>(off);
  return Status::ok();
}

// Grows the calling thread's vector to hold `modid`.
bool grow_vector(ThreadVector& tv, uint64_t modid) {
  if (modid < tv.len) return true;
  uint64_t n = tv.len ? tv.len : 16;
  while (n <= modid) n *= 2;
  DtvEntry* d = static_cast<DtvEntry*>(sd_calloc(n, sizeof(DtvEntry)));
  if (!d) return false;
  if (tv.len) memcpy(d, tv.dtv, tv.len * sizeof(DtvEntry));
  if (!tv.dtv) pthread_setspecific(g.key, &tv);  // first use: free at thread exit
  free(tv.dtv);
  g.bytes += (n - tv.len) * sizeof(DtvEntry);
  tv.dtv = d, tv.len = n;
  return true;
}

void* new_block(const Slot& s, ThreadVector* tv, uint64_t modid) {
  uint64_t align = s.align < sizeof(void*) ? sizeof(void*) : s.align;
  void* mem = nullptr;
  if (posix_memalign(&mem, align, s.memsz ? s.memsz : 1) != 0) return nullptr;
  Rec* r = static_cast<Rec*>(sd_malloc(sizeof(Rec)));
  if (!r) return free(mem), nullptr;
  memcpy(mem, reinterpret_cast<const void*>(s.init), s.filesz);
  memset(static_cast<char*>(mem) + s.filesz, 0, s.memsz - s.filesz);
  *r = Rec{g.recs, tv, modid, nullptr, mem, s.memsz};
  g.recs = r;
  g.bytes += s.memsz;
  return mem;
}

void copy_image(uintptr_t dst, const ModuleTls& t) {
  memcpy(reinterpret_cast<void*>(dst), reinterpret_cast<const void*>(t.init), t.filesz);
  memset(reinterpret_cast<void*>(dst + t.filesz), 0, t.reserve_len - t.filesz);
}

}  // namespace

Status tls_register(const char* name, Module& m, const Elf64_Phdr& ph, bool need_static) {
  STATICDL_TRY(validate_phdr(name, m, ph));
  Locked l;
  pthread_once(&g.once, make_key);
  locate_reserve();
  size_t id = kHostModid + 1;
  while (id < kMaxTlsModules && g.slots[id].used) id++;
  if (id == kMaxTlsModules) return fail(Errc::NoMemory, "%s: too many modules with TLS", name);
  ModuleTls& t = m.tls;
  t.init = m.bias + ph.p_vaddr, t.filesz = ph.p_filesz, t.memsz = ph.p_memsz;
  t.align = ph.p_align > 1 ? ph.p_align : 1;
  if (need_static) STATICDL_TRY(place_static(name, t));
  else if (fits_opportunistically(t)) (void)place_static(name, t);
  t.modid = id;
  t.gen = next_gen(id);
  g.slots[id] = Slot{true, t.is_static, t.tpoff, t.init, t.filesz, t.memsz, t.align};
  return Status::ok();
}

void tls_publish_static(Module& m) {
  if (!m.tls.is_static) return;
  struct Ctx {
    const ModuleTls* t;
  } ctx{&m.tls};
  ThreadVisit v;
  v.ctx = &ctx;
  v.before_threads = [](void* c) {
    const ModuleTls& t = *static_cast<Ctx*>(c)->t;
    uintptr_t dst = g.reserve_template + t.reserve_off;
    uintptr_t page = dst & ~uintptr_t(4095);
    mprotect(reinterpret_cast<void*>(page), dst + t.reserve_len - page, PROT_READ | PROT_WRITE);
    copy_image(dst, t);
  };
  v.each_thread = [](uintptr_t tp, void* c) {
    const ModuleTls& t = *static_cast<Ctx*>(c)->t;
    copy_image(tp + t.tpoff, t);
  };
  visit_all_threads(v);
}

void tls_unregister(Module& m) {
  ModuleTls& t = m.tls;
  Locked l;
  for (Rec** pp = &g.recs; *pp;) {
    Rec* r = *pp;
    bool mine = (t.modid && r->thread && r->modid == t.modid) || r->module == &m;
    if (!mine) {
      pp = &r->next;
      continue;
    }
    *pp = r->next;
    g.bytes -= r->bytes;
    free(r->mem);
    free(r);
  }
  if (!t.modid) return;
  next_gen(t.modid);  // stale in every thread's vector
  g.slots[t.modid] = Slot{};
  if (t.is_static) reserve_free(t.reserve_off, t.reserve_len);
  t = ModuleTls{};
}

TlsDescArg* tls_desc_arg(Module& m, uint64_t modid, uint64_t offset) {
  TlsDescArg* a = static_cast<TlsDescArg*>(sd_malloc(sizeof(TlsDescArg)));
  Rec* r = static_cast<Rec*>(sd_malloc(sizeof(Rec)));
  if (!a || !r) return free(a), free(r), nullptr;
  *a = TlsDescArg{modid, offset};
  Locked l;
  *r = Rec{g.recs, nullptr, 0, &m, a, sizeof *a};
  g.recs = r;
  g.bytes += sizeof *a;
  return a;
}

// Why a copy of the stubs: a plugin calls its TLS resolver indirectly
// (`call *(%rax)`, `blr x1`) on every access. Measured on AMD EPYC (Zen),
// that call costs about twice as much when the target is the static
// executable's text, terabytes below the plugins, as when it is a page
// among them (descriptor access over the bare call: 1.7 -> 0.8 ns; glibc's
// resolver lives in ld.so, next to the plugins, and costs 0.8 ns). The stubs
// are position independent (they reach their state through the thread
// pointer only), so one page holding a copy, mapped on first use and kept
// for the life of the process, serves every plugin.
void* tls_entry(void* fn) {
  static uintptr_t page;
  static bool tried;
  uintptr_t begin = reinterpret_cast<uintptr_t>(staticdl_tls_stubs_begin);
  size_t size = reinterpret_cast<uintptr_t>(staticdl_tls_stubs_end) - begin;
  uintptr_t f = reinterpret_cast<uintptr_t>(fn);
  if (f < begin || f >= begin + size) return fn;
  Locked l;
  if (!tried) {
    tried = true;
    void* p = mmap(nullptr, size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (p != MAP_FAILED) {
      memcpy(p, staticdl_tls_stubs_begin, size);
      __builtin___clear_cache(static_cast<char*>(p), static_cast<char*>(p) + size);
      if (mprotect(p, size, PROT_READ | PROT_EXEC) == 0)
        page = reinterpret_cast<uintptr_t>(p);
      else
        munmap(p, size);
    }
  }
  return page ? reinterpret_cast<void*>(page + (f - begin)) : fn;
}

void* tls_block(size_t modid) {
  Locked l;
  pthread_once(&g.once, make_key);
  locate_reserve();
  if (modid == 0 || modid >= kMaxTlsModules || !g.slots[modid].used) return nullptr;
  ThreadVector& tv = staticdl_tls_self;
  uint64_t gen = __atomic_load_n(&staticdl_tls_slot_gen[modid], __ATOMIC_ACQUIRE);
  if (modid < tv.len && tv.dtv[modid].gen == gen) return tv.dtv[modid].block;
  if (!grow_vector(tv, modid)) return nullptr;
  const Slot& s = g.slots[modid];
  void* block = s.is_static ? reinterpret_cast<void*>(thread_pointer() + s.tpoff) : new_block(s, &tv, modid);
  if (!block) return nullptr;
  tv.dtv[modid] = DtvEntry{block, gen};
  return block;
}

void* tls_block_if_allocated(size_t modid) {
  if (modid == 0 || modid >= kMaxTlsModules) return nullptr;
  {
    Locked l;
    const Slot& s = g.slots[modid];
    if (s.used && s.is_static) return reinterpret_cast<void*>(thread_pointer() + s.tpoff);  // in every thread
  }
  ThreadVector& tv = staticdl_tls_self;
  if (modid >= tv.len) return nullptr;
  uint64_t gen = __atomic_load_n(&staticdl_tls_slot_gen[modid], __ATOMIC_ACQUIRE);
  return tv.dtv[modid].gen == gen ? tv.dtv[modid].block : nullptr;
}

void tls_host_info(ModuleTls* out) {
  Locked l;
  locate_reserve();
  *out = ModuleTls{};
  out->modid = kHostModid;
  out->gen = staticdl_tls_slot_gen[kHostModid];
  out->is_static = true;
  out->tpoff = g.slots[kHostModid].tpoff;
}

uint64_t tls_bytes_in_use() {
  Locked l;
  return g.bytes;
}

TlsReserveInfo tls_reserve_info() {
  Locked l;
  locate_reserve();
  TlsReserveInfo r;
  r.found = g.reserve_found;
  r.size = staticdl_tls_reserve_size > kReserveHeader ? staticdl_tls_reserve_size - kReserveHeader : 0;
  r.used = g.reserve_used;
  return r;
}

}  // namespace staticdl

void* (*staticdl::g_system_tls_get_addr)(uint64_t modid, uint64_t offset) = nullptr;

extern "C" void* staticdl_tls_get_addr_slow(uint64_t modid, uint64_t offset) {
  using staticdl::kSystemModid;
  if ((modid & kSystemModid) && staticdl::g_system_tls_get_addr)
    return staticdl::g_system_tls_get_addr(modid & ~kSystemModid, offset);
  char* b = static_cast<char*>(staticdl::tls_block(modid));
  return b ? b + offset : nullptr;
}
