#!/usr/bin/env python3
"""Where the time of a hybrid-mode dlopen goes, from `perf record` samples.

Three modes (perf/RESULTS.md, "Real libraries (hybrid mode)", used them):
  --window W.script LIB [COMM]   time profile, leaf functions + kernel chains (robust; use this)
  --fault-map F.script LIB       every page fault, by mapping and by the code that touched it
  [--faults] X.script            DWARF call-chain buckets (loses samples; see below)

Callgrind counts user-space instructions only; page faults and system
calls (mmap, mprotect, the kernel copying file pages on a write fault) are
invisible to it. This script reads `perf script` output of cpu-clock samples
taken with DWARF call chains, keeps the samples taken inside the dlopen
(a frame named staticdl_dlopen, or glibc's dlopen / _dl_open), and sorts
each one into a bucket by its call chain:

  perf record -e cpu-clock -F 10000 --call-graph dwarf,16384 -o X.perf -- \
      sh -c 'for i in $(seq 20); do bin/bench_hybrid_staticdl open LIB plugins/libsmall.so; done'
  perf script -i X.perf -F comm,tid,time,ip,sym,dso > X.script
  perf/hybrid/perf_breakdown.py X.script

(The warm-up dlopen of the small plugin is included: a few per cent.)

With --faults, the samples are page faults instead (perf record -e
page-faults -c 1 ...: every fault, with the user code that took it), and
each is sorted by the code that touched the page. DWARF call chains that
deep lose samples, so for exact counts use --fault-map:

  perf record -e page-faults -c 1 -d -o F.perf bin/bench_hybrid_<loader> open LIB plugins/libsmall.so
  perf script -i F.perf -F time,ip,sym,dso,addr --show-mmap-events > F.script
  perf/hybrid/perf_breakdown.py --fault-map F.script LIB

which counts every fault from the first mmap of LIB on, by the mapping the
faulting address lies in (object, protection at mmap time) and by the
function that touched it.

DWARF unwinding also fails through some glibc paths (dlvsym's error
handling longjmps), so --window is the robust time profile: no user call
chains, only the kernel's (frame pointers), and every sample of a
bench_hybrid process from the first mmap of LIB to the process's end (the
program does nothing after the dlopen but print and _exit), sorted by the
function the sample landed in:

  perf record -e cpu-clock -F 20000 -g -o W.perf -- sh -c 'for i in $(seq 20); do bin/bench_hybrid_<loader> open LIB plugins/libsmall.so; done'
  perf script -i W.perf -F comm,pid,time,ip,sym,dso --show-mmap-events > W.script
  perf/hybrid/perf_breakdown.py --window W.script LIB [COMM-PREFIX]

Run both loaders alternately in one recording (the machine's state then
hits both alike) and split them by process name: bench_hybrid_st
(staticdl) and bench_hybrid_gl (glibc); comm is cut at 15 characters.
cpu-clock is a software event, so this works where the hardware counters
are not exposed (virtual machines). See perf/RESULTS.md.
"""
import collections
import os
import re
import sys

# Frames that mark "inside the measured dlopen".
ROOTS = ("staticdl_dlopen", "dlopen@@GLIBC_2.34", "dlopen_doit", "_dl_open")

# (bucket, substrings of a frame name); the first bucket with a frame in
# the chain wins, innermost frame first for the user-space buckets.
INIT = ("run_init", "call_init", "_dl_init")
USER_BUCKETS = [
    ("symbol lookup: system scope (glibc dladdr)", ("dladdr", "_dl_addr")),
    ("symbol lookup: system scope (glibc dlsym/dlvsym/dlerror)",
     ("sys_find", "dlvsym", "dlsym", "_dlerror_run", "dlerror", "_dl_catch", "asprintf")),
    ("symbol lookup: staticdl", ("resolve_reference", "from_globals", "from_list", "SymbolTable::lookup",
                                 "lookup_in_module", "SymName::SymName", "builtin_override", "required_version")),
    ("symbol lookup: glibc", ("_dl_lookup_symbol_x", "do_lookup_x", "check_match")),
    ("relocation loop (RELATIVE, table walk)", ("Relocator::table", "Relocator::one", "fast_relative",
                                                 "elf_machine_rela_relative", "elf_dynamic_do_Rela",
                                                 "_dl_relocate_object", "apply_relr", "has_static_tls_relocs")),
    ("symbol cache allocation (calloc)", ("sd_calloc",)),
    ("mapping, ELF parsing, search", ("map_image", "mapper", "elf_reader", "find_or_load", "load_root",
                                      "load_dependencies", "parse_dynamic", "_dl_map_object", "open_verify",
                                      "_dl_map_segments", "search")),
]


def samples(path):
    cur = []
    with open(path, errors="replace") as fh:
        for line in fh:
            if not line.strip():
                if cur:
                    yield cur
                cur = []
                continue
            if line.startswith("\t") or line.startswith(" "):
                parts = line.strip().split(" ", 1)
                if len(parts) == 2:
                    sym = parts[1].rsplit(" (", 1)[0]
                    dso = parts[1].rsplit(" (", 1)[-1].rstrip(")")
                    cur.append((sym, dso))
    if cur:
        yield cur


def classify(chain):
    """chain: innermost frame first."""
    names = [s for s, _ in chain]
    kernel = chain[0][1].startswith("[kernel")
    in_init = any(any(k in n for k in INIT) for n in names)
    if kernel:
        if any("asm_exc_page_fault" in n for n in names):
            what = "page faults"
        else:
            sc = next((n for n in names if n.startswith("__x64_sys_")), "other")
            what = "syscall " + sc.replace("__x64_sys_", "")
        user = next((s for s, d in chain if not d.startswith("[kernel")), "?")
        where = "initializers" if in_init else user_bucket(names) or user
        return "kernel: %s" % what, where
    if in_init:
        return "initializers (user)", ""
    return user_bucket(names) or ("other: " + names[0]), ""


def user_bucket(names):
    for n in names:
        for bucket, keys in USER_BUCKETS:
            if any(k in n for k in keys):
                return bucket
    return None


MMAP_RE = re.compile(r"PERF_RECORD_MMAP2? .*?\[0x([0-9a-f]+)\(0x([0-9a-f]+)\) @ (\S+) .*?\]: (\S+) (.*)$")
FAULT_RE = re.compile(r"^\s*[\d.]+:\s+([0-9a-f]+)\s+(.*?)\s+\((.*?)\)\s+([0-9a-f]+)\s+(.*?)\s+\((.*?)\)\s*$")


def ip_bucket(sym, dso):
    if dso.startswith("[kernel"):
        return "kernel (%s)" % sym
    b = user_bucket([sym])
    if b:
        return b
    if "memset" in sym or "calloc" in sym:
        return "memset/calloc (%s)" % ("staticdl" if "staticdl" in dso or "bench_hybrid" in dso else "libc")
    if "ld-linux" in dso:
        return "ld.so: " + sym
    if "bench_hybrid" in dso:
        return "staticdl: " + sym
    if "libc.so" in dso:
        return "libc: " + sym
    return "library code: " + os.path.basename(dso)


def fault_map(path, lib):
    maps, started, rows = [], False, collections.Counter()
    regions = collections.Counter()
    total = 0
    for line in open(path, errors="replace"):
        m = MMAP_RE.search(line)
        if m:
            start, length = int(m.group(1), 16), int(m.group(2), 16)
            perms, name = m.group(4), m.group(5).strip()
            maps.append((start, start + length, perms, name))
            if not started and lib and os.path.realpath(name) == os.path.realpath(lib):
                started = True
            continue
        f = FAULT_RE.match(line)
        if not f or not started:
            continue
        addr = int(f.group(1), 16)
        region = "unmapped/brk heap"
        for a, b, perms, name in reversed(maps):
            if a <= addr < b:
                kind = "anon" if name.startswith("//anon") or name.startswith("[") else os.path.basename(name)
                region = "%s %s" % (kind, perms)
                break
        bucket = ip_bucket(f.group(5), f.group(6))
        rows[(bucket, region)] += 1
        regions[region] += 1
        total += 1
    print("%d page faults from the first mmap of %s on" % (total, lib))
    by_bucket = collections.Counter()
    for (b, _), c in rows.items():
        by_bucket[b] += c
    print("\nby the code that touched the page:")
    for b, c in by_bucket.most_common(12):
        print("  %6d  %s" % (c, b))
        for (bb, r), cc in rows.most_common():
            if bb == b and cc * 50 >= c:
                print("          %6d  in %s" % (cc, r))
    print("\nby mapping (object, protection when mapped):")
    for r, c in regions.most_common(12):
        print("  %6d  %s" % (c, r))


# --window: buckets by the function a sample landed in (innermost frame).
LEAF_BUCKETS = [
    ("staticdl: symbol lookup (hash walk, versions, name checks)",
     ("resolve_reference", "from_list", "from_globals", "from_host", "SymbolTable::", "matches", "walk_verdef",
      "verdaux_name", "find_verdef", "MemoryCheck::contains", "in_file_data", "gnu_hash", "sysv_hash", "SymName",
      "builtin_override", "builtin_fallback", "required_version", "lookup_in_module", "apply_unique",
      "definition_ok", "host_find_symbol", "sys_find", "is_static_tls_address")),
    ("staticdl: relocation loop", ("Relocator::", "fast_relative", "apply_relr", "has_static_tls_relocs",
                                   "staticdl::relocate")),
    ("staticdl: mapping, parsing, search", ("map_image", "parse_dynamic", "build_symbol_table", "elf_reader",
                                            "find_or_load", "load_root", "search", "read_headers", "ElfImage")),
    ("staticdl: __cxa_atexit, module bookkeeping", ("staticdl_cxa_atexit", "module_containing", "on_loaded",
                                                    "register_frame")),
    ("glibc: symbol lookup (_dl_lookup_symbol_x)", ("_dl_lookup_symbol_x", "do_lookup_x", "check_match",
                                                    "_dl_name_match_p", "dl_new_hash", "_dl_setup_hash")),
    ("glibc: dladdr (_dl_addr)", ("_dl_addr",)),
    ("glibc: dlsym/dlvsym/dlerror machinery (error strings, catch)",
     ("dlerror", "_dl_catch", "_dl_exception", "dlvsym", "dlsym", "_dl_vsym", "_dl_sym", "do_sym", "asprintf",
      "vfprintf", "_IO_", "__sigsetjmp", "_dl_signal", "_rtld_catch", "__dcigettext", "_nl_", "_dl_find_dso")),
    ("glibc: relocation loop (_dl_relocate_object)", ("_dl_relocate_object", "elf_machine_", "elf_dynamic_do")),
    ("glibc: mapping, search, init bookkeeping", ("_dl_map_", "open_verify", "_dl_new_object", "_dl_init_paths",
                                                  "_dl_sort_maps", "_dl_map_object_deps", "_dl_catch_exception",
                                                  "_dl_open", "dl_open_worker", "_dl_add_to_namespace",
                                                  "_dl_check_map_versions", "match_symbol", "_dl_fixup",
                                                  "_dl_protect_relro", "_dl_find_object_update",
                                                  "_dl_cache_libcmp", "_dl_load_cache_lookup")),
]


def leaf_bucket(sym, dso):
    for b, keys in LEAF_BUCKETS:
        if any(k in sym for k in keys):
            return b
    base = os.path.basename(dso)
    if "bench_hybrid" in base:
        return "staticdl: other (%s)" % sym
    if base.startswith("libc.so") or base.startswith("ld-linux"):
        return "libc/ld.so: %s" % sym
    return "library code (initializers): %s" % base


def window(path, lib, comm_prefix="bench_hybrid"):
    start, cur, last = {}, collections.defaultdict(list), {}
    real = os.path.realpath(lib)
    buckets = collections.Counter()
    total = 0
    chain, head = [], None

    def flush():
        nonlocal total
        if not head or not chain:
            return
        comm, pid = head
        if pid not in start or not comm.startswith(comm_prefix):
            return
        leaf_sym, leaf_dso = chain[0]
        if leaf_dso.startswith("[kernel"):
            names = [c[0] for c in chain]
            if any("asm_exc_page_fault" in n or "exc_page_fault" in n for n in names):
                b = "kernel: page faults"
            else:
                sc = next((n for n in names if n.startswith("__x64_sys_")), None)
                b = "kernel: syscall " + sc.replace("__x64_sys_", "") if sc else "kernel: other (%s)" % leaf_sym
        else:
            b = leaf_bucket(leaf_sym, leaf_dso)
        buckets[b] += 1
        total += 1

    hdr = re.compile(r"^(\S+)\s+(\d+)\s+[\d.]+:\s*(.*)$")
    for line in open(path, errors="replace"):
        if "PERF_RECORD_MMAP" in line:
            m = MMAP_RE.search(line)
            pm = re.search(r"PERF_RECORD_MMAP2? (\d+)/", line)
            if m and pm and os.path.realpath(m.group(5).strip()) == real:
                start.setdefault(int(pm.group(1)), True)
            continue
        if not line.strip():
            flush()
            chain, head = [], None
            continue
        if line[0] in " \t":
            parts = line.strip().split(" ", 1)
            if len(parts) == 2:
                chain.append((parts[1].rsplit(" (", 1)[0], parts[1].rsplit(" (", 1)[-1].rstrip(")")))
            continue
        h = hdr.match(line)
        if h:
            flush()
            chain, head = [], (h.group(1), int(h.group(2)))
    flush()
    print("%d samples in %s* processes from the first mmap of %s to exit" % (total, comm_prefix, lib))
    for b, c in buckets.most_common(40):
        if c * 200 < total:
            break
        print("%6.1f%%  %s" % (100.0 * c / total, b))


def main():
    args = sys.argv[1:]
    if args and args[0] == "--window":
        if len(args) not in (3, 4):
            sys.exit(__doc__)
        return window(*args[1:])
    if args and args[0] == "--fault-map":
        if len(args) != 3:
            sys.exit(__doc__)
        return fault_map(args[1], args[2])
    faults = "--faults" in args
    args = [x for x in args if x != "--faults"]
    if len(args) != 1:
        sys.exit(__doc__)
    total = 0
    buckets = collections.Counter()
    sub = collections.defaultdict(collections.Counter)
    for chain in samples(args[0]):
        if not any(any(r == s or s.startswith(r) for r in ROOTS) for s, _ in chain):
            continue
        total += 1
        if faults:
            names = [n for n, _ in chain]
            b, where = ("initializers" if any(any(k in n for k in INIT) for n in names)
                        else user_bucket(names) or ("other: " + names[0])), ""
        else:
            b, where = classify(chain)
        buckets[b] += 1
        if where:
            sub[b][where] += 1
    if not total:
        sys.exit("no samples inside dlopen")
    print("%d %s inside dlopen" % (total, "page faults" if faults else "samples"))
    for b, c in buckets.most_common():
        print("%6.1f%%  %s" % (100.0 * c / total, b))
        for w, k in sub[b].most_common(6):
            print("          %5.1f%%  during %s" % (100.0 * k / total, w))


if __name__ == "__main__":
    main()
