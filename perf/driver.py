#!/usr/bin/env python3
"""Runs the staticdl performance suite (perf/run.sh calls this).

  driver.py --bindir <build>/perf [--hybrid-bindir <hybrid build>/perf/hybrid]
            [--rounds 7] [--quick] [--out FILE] [--only SUBSTR] [--keep-going]

--bindir: the static musl build (zig) with the synthetic-plugin cases;
--hybrid-bindir: a STATICDL_HYBRID build (system gcc) with the real-library
cases (perf/hybrid); either or both.

Every measurement is a fresh process (bin/bench_<loader> <case> ..., or
bin/floor) printing `key value` lines. Rounds are interleaved: round r runs
every benchmark once, in a fixed order, before round r+1 starts, so a busy
moment on the machine hits all loaders alike. Reported: the median and the
min-max over rounds; a ratio is computed per round (the two processes ran
back to back) and its median and min-max reported.

Each real library also gets a floor row (bin/floor --all over the files
glibc's dlopen maps for it: mapping and every relocated word, nothing
else), and the loaders' times against it, including the part of each
load above the floor, (loader - floor), staticdl's over glibc's.

Real libraries (--hybrid-bindir) and the synthetic load cases also get a
"staticdl+cache" row for dlopen: the same staticdl binary with the opt-in
relocation cache (STATICDL_RELOC_CACHE=<a private directory made for the run,
one per build directory, removed at the end>), primed by one untimed run per
library before the rounds, and paired per round against glibc (the synthetic
rows: without a target, which is the default loader's; load_relative also
against the floor).
"""
import argparse
import atexit
import datetime
import glob
import json
import os
import platform
import re
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))


class Bench:
    def __init__(self, bid, case, loader, plugin, unit, argv, metrics=("value",), env=None, group="", bindir=""):
        self.id, self.case, self.loader, self.plugin, self.unit = bid, case, loader, plugin, unit
        self.argv, self.metrics, self.env, self.group, self.bindir = argv, metrics, env or {}, group, bindir
        self.samples = {m: [] for m in metrics}
        self.rounds = []   # the round of each sample
        self.error = None  # --keep-going: why this benchmark stopped


class Ratio:
    """num / den paired per round; with base: (num - base) / (den - base),
    the part of each above base."""
    def __init__(self, num, den, target=None, what="", metric="value", base=None):
        self.num, self.den, self.target, self.what, self.metric = num, den, target, what, metric
        self.base = base


def benchmarks(b, quick, cache_dir=None):
    """The benchmark list; b = the perf build directory; cache_dir: the
    relocation cache of the staticdl+cache load rows (none without)."""
    size = "quick" if quick else "full"
    n = None
    bin_ = lambda x: os.path.join(b, "bin", x)
    plug = lambda x: os.path.join(b, "plugins", x)
    synth = lambda cc, v: os.path.join(b, "plugins", size, "libsynth_%s_%s.so" % (cc, v))
    hosts = {"staticdl": bin_("bench_staticdl"), "glibc": bin_("bench_glibc"), "musl": bin_("bench_musl")}
    have = {k: os.path.exists(v) for k, v in hosts.items()}
    # (loader, plugin cc) pairs: staticdl loads both its own zig build and
    # the very gcc build glibc loads (same bytes: only the loader differs).
    pairs = [("staticdl", "zig"), ("staticdl", "gcc"), ("glibc", "gcc"), ("musl", "muslgcc")]
    pairs = [p for p in pairs if have[p[0]] and os.path.exists(synth(p[1], "sym"))]
    small = {"staticdl": plug("libsmall_zig.so"), "glibc": plug("libsmall_gcc.so"), "musl": plug("libsmall_muslgcc.so")}
    with open(os.path.join(b, "gen", size, "names.txt")) as fh:
        n = int(fh.read().split()[0])
    out, ratios = [], []

    def add(*a, **k):
        x = Bench(*a, bindir=b, **k)
        out.append(x)
        return x.id

    # 1. load: symbolic-heavy and RELATIVE-only
    for v, case in (("sym", "load_symbolic"), ("bsym", "load_relative")):
        ids = {}
        for loader, cc in pairs:
            ids[(loader, cc)] = add("%s/%s/%s" % (case, loader, cc), case, loader, "synth_%s_%s" % (cc, v), "ms",
                                    [hosts[loader], "open", synth(cc, v), small[loader]])
        if v == "bsym":
            for cc in ("zig", "gcc"):
                if os.path.exists(synth(cc, v)):
                    ids[("floor", cc)] = add("%s/floor/%s" % (case, cc), case, "floor", "synth_%s_%s" % (cc, v), "ms",
                                             [bin_("floor"), synth(cc, v), small["glibc"]])
        for cc in ("zig", "gcc"):
            s = ids.get(("staticdl", cc))
            if not s:
                continue
            if v == "sym" and ("glibc", "gcc") in ids:
                ratios.append(Ratio(s, ids[("glibc", "gcc")], 0.5, "staticdl/glibc"))
            if v == "bsym" and ("floor", cc) in ids:
                ratios.append(Ratio(s, ids[("floor", cc)], 1.1, "staticdl/floor"))
            if ("musl", "muslgcc") in ids:
                ratios.append(Ratio(s, ids[("musl", "muslgcc")], None, "staticdl/musl"))
        if v == "bsym" and ("glibc", "gcc") in ids and ("floor", "gcc") in ids:
            ratios.append(Ratio(ids[("glibc", "gcc")], ids[("floor", "gcc")], None, "glibc/floor"))
        # staticdl+cache last: the rows above keep their order and neighbours
        for cc in ("zig", "gcc") if cache_dir else ():
            if ("staticdl", cc) not in ids:
                continue
            c = add("%s/%s/%s" % (case, CACHE_LOADER, cc), case, CACHE_LOADER, "synth_%s_%s" % (cc, v), "ms",
                    [hosts["staticdl"], "open", synth(cc, v), small["staticdl"]], env={CACHE_ENV: cache_dir})
            for den in (("glibc", "gcc"), ("floor", cc)):
                if den in ids:
                    ratios.append(Ratio(c, ids[den], None, ratio_what(CACHE_LOADER, den[0])))

    # 3. dlsym
    reps = "1" if quick else "5"
    for mode in ("handle", "default", "miss"):
        case = "dlsym_" + mode
        ids = {}
        for loader, cc in pairs:
            if loader == "staticdl" and cc == "gcc":
                continue
            ids[loader] = add("%s/%s/%s" % (case, loader, cc), case, loader, "synth_%s_sym" % cc, "ns/lookup",
                              [hosts[loader], "dlsym", synth(cc, "sym"), str(n), mode, reps])
        if "staticdl" in ids and "glibc" in ids:
            ratios.append(Ratio(ids["staticdl"], ids["glibc"], 0.5, "staticdl/glibc"))
        if "staticdl" in ids and "musl" in ids:
            ratios.append(Ratio(ids["staticdl"], ids["musl"], None, "staticdl/musl"))

    # 4. TLS
    iters = "2000" if quick else "20000000"
    for dialect in ("gd", "desc"):
        case = "tls_" + dialect
        ids = {}
        for loader, cc in pairs:
            p = plug("libtls_%s_%s.so" % (dialect, cc))
            if not os.path.exists(p):
                continue
            ids[(loader, cc)] = add("%s/%s/%s" % (case, loader, cc), case, loader, "tls_%s_%s" % (dialect, cc),
                                    "ns/access", [hosts[loader], "tls", p, "tls_loop", iters])
        for cc in ("zig", "gcc"):
            if ("staticdl", cc) in ids and ("glibc", "gcc") in ids:
                ratios.append(Ratio(ids[("staticdl", cc)], ids[("glibc", "gcc")], 1.1, "staticdl/glibc"))
            if ("staticdl", cc) in ids and ("musl", "muslgcc") in ids:
                ratios.append(Ratio(ids[("staticdl", cc)], ids[("musl", "muslgcc")], None, "staticdl/musl"))
    for loader, cc in pairs:  # the call overhead every TLS row contains
        p = plug("libtls_gd_%s.so" % cc)
        add("tls_baseline/%s/%s" % (loader, cc), "tls_baseline", loader, "tls_gd_%s plain_loop" % cc, "ns/access",
            [hosts[loader], "tls", p, "plain_loop", iters])

    # 5. small plugin dlopen+dlclose
    cyc = "2" if quick else "300"
    ids = {}
    for loader, cc in [("staticdl", "zig"), ("staticdl", "gcc"), ("glibc", "gcc"), ("musl", "muslgcc")]:
        if have[loader]:
            ids[(loader, cc)] = add("small_cycle/%s/%s" % (loader, cc), "small_cycle", loader, "small_%s" % cc,
                                    "us/cycle", [hosts[loader], "cycle", plug("libsmall_%s.so" % cc), cyc])
    for cc in ("zig", "gcc"):
        if ("staticdl", cc) in ids and ("glibc", "gcc") in ids:
            ratios.append(Ratio(ids[("staticdl", cc)], ids[("glibc", "gcc")], None, "staticdl/glibc"))

    # 6. memory
    copies = 10 if quick else 100
    for loader, cc in [("staticdl", "zig"), ("glibc", "gcc"), ("musl", "muslgcc")]:
        if not have[loader]:
            continue
        d = os.path.join(b, "mem", cc)
        make_copies(plug("libsmall_%s.so" % cc), d, copies)
        metrics = ("vmdata_kb_per_module", "vmrss_kb_per_module")
        if loader != "musl":
            metrics = ("heap_per_module", "heap_per_symbol") + metrics
        host = hosts[loader]
        if loader == "staticdl":
            host = bin_("bench_staticdl_mem")
            if not os.path.exists(host):
                continue
        add("memory/%s/%s" % (loader, cc), "memory", loader, "small_%s x%d + synth_%s_sym" % (cc, copies, cc), "",
            [host, "mem", d, str(copies), synth(cc, "sym"), str(2 * n)], metrics=metrics)
    return out, ratios, n

# ---- real libraries, hybrid mode (perf/hybrid) -----------------------------
# (case, what, how to find the file, extra environment for the glibc run)
RUSTC_TLS_TUNABLE = "glibc.rtld.optional_static_tls=65536"


def multiarch_dirs():
    m = platform.machine() + "-linux-gnu"
    return ["/usr/lib/" + m, "/lib/" + m]


def find_system_lib(name):
    for d in multiarch_dirs():
        p = os.path.join(d, name)
        if os.path.exists(p):
            return p, None
    return None, "%s not found in %s" % (name, " or ".join(multiarch_dirs()))


def find_rustc_driver():
    rustc = shutil.which("rustc") or os.path.expanduser("~/.cargo/bin/rustc")
    if not os.path.exists(rustc):
        return None, "no rustc on PATH or in ~/.cargo/bin (rustup toolchain)"
    try:
        sysroot = subprocess.run([rustc, "--print", "sysroot"], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                 text=True, timeout=60).stdout.strip()
    except (OSError, subprocess.SubprocessError) as e:
        return None, "rustc --print sysroot failed: %s" % e
    found = sorted(glob.glob(os.path.join(sysroot, "lib", "librustc_driver-*.so")))
    if not found:
        return None, "no %s/lib/librustc_driver-*.so" % sysroot
    return found[0], None


HYBRID_CASES = [
    # case id, description, finder, environment of the glibc run
    ("real_llvm14", "Debian libLLVM-14 (package libllvm14)",
     lambda: find_system_lib("libLLVM-14.so.1"), {}),
    # glibc's dlopen cannot place librustc_driver's initial-exec TLS
    # (DF_STATIC_TLS, ~24 KiB) in its default static TLS surplus ("cannot
    # allocate memory in static TLS block"): the glibc run gets a bigger one.
    ("real_rustc_driver", "rustup librustc_driver-*.so + libLLVM.so.*-rust-*",
     find_rustc_driver, {"GLIBC_TUNABLES": RUSTC_TLS_TUNABLE}),
    ("real_python311", "libpython3.11.so.1.0", lambda: find_system_lib("libpython3.11.so.1.0"), {}),
    ("real_libstdcxx", "libstdc++.so.6 (C host: not preloaded)", lambda: find_system_lib("libstdc++.so.6"), {}),
    ("real_sqlite3", "libsqlite3.so.0", lambda: find_system_lib("libsqlite3.so.0"), {}),
]
HYBRID_METRICS = ("value", "faults", "minflt", "majflt", "objects", "rss_kb", "warm_ns")
FLOOR_LOADER = "floor"
# staticdl's opt-in relocation cache: the loader row that sets it, and its variable
CACHE_LOADER, CACHE_ENV = "staticdl+cache", "STATICDL_RELOC_CACHE"


def hybrid_benchmarks(hb, cache_dir=None):
    """The real-library cases; hb = the perf/hybrid build directory;
    cache_dir: the relocation cache of the staticdl+cache rows (none without).
    Returns (benchmarks, ratios, skipped {case: reason}, libraries {case: path})."""
    hosts = {"staticdl": os.path.join(hb, "bin", "bench_hybrid_staticdl"),
             "glibc": os.path.join(hb, "bin", "bench_hybrid_glibc")}
    warm = os.path.join(hb, "plugins", "libsmall.so")
    for p in list(hosts.values()) + [warm]:
        if not os.path.exists(p):
            raise SystemExit("perf: %s missing (build target perf_hybrid in a STATICDL_HYBRID build)" % p)
    out, ratios, skipped, libs = [], [], {}, {}
    for case, what, find, genv in HYBRID_CASES:
        path, why = find()
        if not path:
            skipped[case] = why
            print("perf: skipping %s (%s): %s" % (case, what, why), file=sys.stderr, flush=True)
            continue
        libs[case] = path
        ids = {}
        # staticdl+cache last: staticdl and glibc stay back to back, and so do glibc and it
        loaders = [("staticdl", "staticdl", {}), ("glibc", "glibc", genv)]
        if cache_dir:
            loaders.append((CACHE_LOADER, "staticdl", {CACHE_ENV: cache_dir}))
        for loader, host, env in loaders:
            x = Bench("%s/%s/system" % (case, loader), case, loader, os.path.basename(path), "ms",
                      [hosts[host], "open", path, warm], metrics=HYBRID_METRICS, env=env, group="hybrid", bindir=hb)
            out.append(x)
            ids[loader] = x.id
        for loader in ("staticdl", CACHE_LOADER):
            if loader in ids:
                ratios += open_ratios(ids[loader], ids["glibc"], loader)
        floor = floor_bench(hb, case, path, warm, [hosts["glibc"], "objects", path, warm], genv)
        if floor:
            out.append(floor)
            ratios += floor_ratios(ids, floor.id)
    # 3. dlsym throughput over every defined symbol of libLLVM-14 (~44k):
    # through the handle, RTLD_DEFAULT, and misses (reported with the
    # synthetic dlsym rows).
    if "real_llvm14" in libs:
        for mode in ("handle", "default", "miss"):
            ids = {}
            for loader in ("staticdl", "glibc"):
                x = Bench("dlsym_llvm14_%s/%s/system" % (mode, loader), "dlsym_llvm14_" + mode, loader,
                          os.path.basename(libs["real_llvm14"]), "ns/lookup",
                          [hosts[loader], "dlsym", libs["real_llvm14"], mode, "3"], bindir=hb)
                out.append(x)
                ids[loader] = x.id
            ratios.append(Ratio(ids["staticdl"], ids["glibc"], 0.5, "staticdl/glibc"))
    return out, ratios, skipped, libs


def floor_bench(hb, case, path, warm, objects_argv, env):
    """The library's floor (perf/src/floor.c --all): the files glibc's
    dlopen maps for it (`bench_hybrid objects`), mapped, their relocated
    pages made private and every relocated word written; no lookups,
    initializers or RELRO. None, with the reason printed, if the list or
    the program is not at hand."""
    prog = os.path.join(hb, "bin", "floor")
    r = subprocess.run(objects_argv, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, timeout=300,
                       env=dict(os.environ, **env))
    files = [l.split(" ", 1)[1] for l in r.stdout.splitlines() if l.startswith("object ")]
    if not os.path.exists(prog) or r.returncode != 0 or not files:
        why = "%s missing" % prog if not os.path.exists(prog) else "%s: %s" % (
            " ".join(objects_argv), exit_text(r.returncode) if r.returncode else "no objects listed")
        print("perf: no floor for %s: %s" % (case, why), file=sys.stderr, flush=True)
        return None
    return Bench("%s/%s/system" % (case, FLOOR_LOADER), case, FLOOR_LOADER, os.path.basename(path), "ms",
                 [prog, "--all", warm] + files, metrics=("value", "pages", "relocations"), group="hybrid", bindir=hb)


def floor_ratios(ids, floor):
    """Each loader against the floor, and the loaders' time above it (no targets)."""
    return [Ratio(ids["staticdl"], floor, None, "staticdl/floor"), Ratio(ids["glibc"], floor, None, "glibc/floor"),
            Ratio(ids["staticdl"], ids["glibc"], None, "staticdl/glibc above the floor", base=floor)]


def ratio_what(loader, den):
    """A ratio's label: <loader>/<den>, the cache's marked opt-in."""
    return loader + "/" + den + (" (opt-in relocation cache)" if loader == CACHE_LOADER else "")


def open_ratios(num, glibc, loader):
    """A real library's dlopen against glibc's: time (the target) and faults."""
    what = ratio_what(loader, "glibc")
    return [Ratio(num, glibc, 0.8, what), Ratio(num, glibc, None, what + " faults", metric="faults")]


def private_cache_dir():
    """A new relocation cache directory for this run (mode 0700, as the
    loader requires), removed when the driver exits."""
    d = tempfile.mkdtemp(prefix="staticdl-perf-reloc-cache-")
    atexit.register(shutil.rmtree, d, True)
    return d


def prime_reloc_cache(benches, cache_dir, keep_going):
    """One untimed run of every benchmark using cache_dir (the staticdl+cache
    rows) before the rounds: the first process to load a library writes its
    cache files, the timed ones map them. Output discarded; a failure is
    reported as in the rounds. Returns the benchmarks primed (runs that
    succeeded) and the directory's files."""
    primed = [x for x in benches if x.env.get(CACHE_ENV) == cache_dir
              and execute(x, keep_going, "priming run (untimed)")]
    files = {f: os.path.getsize(os.path.join(cache_dir, f)) for f in sorted(os.listdir(cache_dir))}
    if primed and not files:
        print("perf: note: the priming runs left %s empty (a loader without the relocation cache ignores %s): "
              "the %s rows measure plain staticdl" % (cache_dir, CACHE_ENV, CACHE_LOADER), file=sys.stderr, flush=True)
    return {"dir": cache_dir, "primed": [x.id for x in primed], "files": files}


STAT_RE = re.compile(r"staticdl: (.*): (\d+) objects, relocations: (\d+) relative, (\d+) symbolic, (\d+) irelative")


def hybrid_statistics(benches, keep_going):
    """One untimed run of every staticdl real-library benchmark with
    STATICDL_DEBUG=statistics: what staticdl loaded and relocated. It also
    brings every file into the page cache before the timed rounds."""
    res = {}
    for x in benches:
        if x.group != "hybrid" or x.loader != "staticdl":
            continue
        env = dict(os.environ, STATICDL_DEBUG="statistics")
        r = subprocess.run(x.argv, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, timeout=300, env=env)
        st = [m.groups() for m in STAT_RE.finditer(r.stderr)]
        if r.returncode != 0 or not st:
            why = [l for l in r.stderr.strip().splitlines() if not STAT_RE.match(l)]
            msg = "%s%s" % (exit_text(r.returncode), (": " + why[-1]) if why else "")
            res[x.case] = {"error": "staticdl: " + msg}
            fail_bench(x, "STATICDL_DEBUG=statistics %s: %s" % (command_line(x), msg), keep_going)
            continue
        _, objs, rel, sym, irel = st[-1]
        res[x.case] = {"objects": int(objs), "relative": int(rel), "symbolic": int(sym), "irelative": int(irel)}
    return res


def make_copies(src, d, count):
    os.makedirs(d, exist_ok=True)
    data = open(src, "rb").read()
    for name in ["libmem_warm.so"] + ["libmem_%03d.so" % i for i in range(count)]:
        p = os.path.join(d, name)
        if not os.path.exists(p) or os.path.getsize(p) != len(data) or open(p, "rb").read() != data:
            with open(p, "wb") as fh:
                fh.write(data)


def exit_text(rc):
    if rc < 0:
        try:
            return "killed by %s" % signal.Signals(-rc).name
        except ValueError:
            return "killed by signal %d" % -rc
    return "exit status %d" % rc


def fail_bench(bench, msg, keep_going):
    if not keep_going:
        raise SystemExit("perf: %s failed: %s" % (bench.id, msg))
    bench.error = msg
    print("perf: %s FAILED (dropped from the remaining rounds): %s" % (bench.id, msg), file=sys.stderr, flush=True)


def execute(bench, keep_going, what=""):
    """One run of the benchmark's command: the finished process, or None
    once a failure (timeout, exit status) has been reported."""
    env = dict(os.environ, **bench.env) if bench.env else None
    pre = what + ": " if what else ""
    try:
        r = subprocess.run(bench.argv, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, timeout=300, env=env)
    except subprocess.TimeoutExpired:
        return fail_bench(bench, "%stimed out: %s" % (pre, command_line(bench)), keep_going)
    if r.returncode != 0:
        return fail_bench(bench, "%s%s: %s\n%s" % (pre, exit_text(r.returncode), command_line(bench),
                                                   r.stderr.strip()), keep_going)
    return r


def run_one(bench, rnd, keep_going=False):
    if bench.error:
        return
    r = execute(bench, keep_going)
    if r is None:
        return
    vals = {}
    for line in r.stdout.splitlines():
        k, _, v = line.partition(" ")
        try:
            vals[k] = float(v)
        except ValueError:
            vals[k] = v
    missing = [m for m in bench.metrics if m not in vals]
    if missing:
        return fail_bench(bench, "printed no %s:\n%s" % (", ".join(missing), r.stdout), keep_going)
    for m in bench.metrics:
        v = vals[m]
        if m == "value" and bench.unit == "ms":
            v = v / 1e6
        bench.samples[m].append(v)
    bench.rounds.append(rnd)


def summary(xs):
    if not xs:
        return {"median": None, "min": None, "max": None, "n": 0}
    return {"median": statistics.median(xs), "min": min(xs), "max": max(xs), "n": len(xs)}


def command_line(bench, rel=False):
    """The benchmark's command as a shell line (environment first); rel: paths
    relative to its build directory."""
    words = [os.path.relpath(p, bench.bindir) if rel and bench.bindir and p.startswith(bench.bindir) else p
             for p in bench.argv]
    return " ".join(["%s=%s" % kv for kv in sorted(bench.env.items())] + words)


def fmt(x):
    if x is None:
        return "-"
    if isinstance(x, float) and x.is_integer() and abs(x) >= 10:
        return "%d" % x
    a = abs(x)
    if a >= 100:
        return "%.0f" % x
    if a >= 10:
        return "%.1f" % x
    if a >= 1:
        return "%.2f" % x
    return "%.3f" % x


def checks(b, quick):
    """Relocation counts of the synthetic plugins and the TLS code sequences."""
    size = "quick" if quick else "full"
    res = {"relocations": {}, "tls_disassembly": {}}
    d = os.path.join(b, "plugins", size)
    for f in sorted(os.listdir(d)):
        if f.endswith(".so"):
            out = subprocess.run(["readelf", "-rW", os.path.join(d, f)], stdout=subprocess.PIPE, text=True).stdout
            counts = {}
            for m in re.finditer(r"\b(R_X86_64_\w+)", out):
                counts[m.group(1)] = counts.get(m.group(1), 0) + 1
            res["relocations"][f] = counts
    for f in sorted(os.listdir(os.path.join(b, "plugins"))):
        if f.startswith("libtls_") and f.endswith(".so"):
            dis = subprocess.run(["objdump", "-d", "--no-show-raw-insn", os.path.join(b, "plugins", f)],
                                 stdout=subprocess.PIPE, text=True).stdout
            body = re.search(r"<bump_tls[^>]*>:\n(.*?)\n\n", dis, re.S)
            body = body.group(1) if body else ""
            if "_desc_" in f:
                ok = bool(re.search(r"call\s+\*\(%rax\)", body))
                what = "call *(%rax) (TLS descriptor)"
            else:
                ok = "__tls_get_addr" in body
                what = "call __tls_get_addr"
            res["tls_disassembly"][f] = {"expect": what, "ok": ok}
    return res


def source_version():
    """The staticdl commit measured (`git describe --always --dirty`), or "?"."""
    try:
        r = subprocess.run(["git", "-C", os.path.dirname(HERE), "describe", "--always", "--dirty"],
                           stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True, timeout=30)
        return r.stdout.strip() or "?"
    except (OSError, subprocess.SubprocessError):
        return "?"


def machine():
    model = "?"
    try:
        for line in open("/proc/cpuinfo"):
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    load = open("/proc/loadavg").read().split()[:3] if os.path.exists("/proc/loadavg") else []
    return {"nproc": os.cpu_count(), "cpu": model, "kernel": platform.release(), "loadavg_at_start": load}


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--bindir", help="perf/ of the static (zig) build: the synthetic-plugin cases")
    ap.add_argument("--hybrid-bindir", help="perf/hybrid/ of a STATICDL_HYBRID build: the real-library cases")
    ap.add_argument("--rounds", type=int, default=7)
    ap.add_argument("--quick", action="store_true")
    ap.add_argument("--out", default=os.path.join(HERE, "results", "latest.json"))
    ap.add_argument("--only", default="", help="run only benchmarks whose id contains this")
    ap.add_argument("--keep-going", action="store_true",
                    help="a failing benchmark is reported and dropped, the rest still run (exit status 1 at the end)")
    a = ap.parse_args()
    if not a.bindir and not a.hybrid_bindir:
        ap.error("--bindir and/or --hybrid-bindir")
    rounds = 1 if a.quick else a.rounds
    if os.environ.pop(CACHE_ENV, None) is not None:  # only the staticdl+cache rows get one
        print("perf: %s unset for the benchmarks (the %s rows set their own)" % (CACHE_ENV, CACHE_LOADER),
              file=sys.stderr, flush=True)
    benches, ratios, n, synth_cache = [], [], None, None
    if a.bindir:  # a directory of its own: each cache note counts its own rows' files
        synth_cache = private_cache_dir()
        benches, ratios, n = benchmarks(a.bindir, a.quick, synth_cache)
    skipped, libs, cache_dir = {}, {}, None
    if a.hybrid_bindir:
        cache_dir = private_cache_dir()
        hb, hr, skipped, libs = hybrid_benchmarks(a.hybrid_bindir, cache_dir)
        benches += hb
        ratios += hr
    if a.only:
        benches = [x for x in benches if a.only in x.id]
        keep = {x.id for x in benches}
        ratios = [r for r in ratios if r.num in keep and r.den in keep and (not r.base or r.base in keep)]
    info = machine()
    chk = checks(a.bindir, a.quick) if a.bindir else {"relocations": {}, "tls_disassembly": {}}
    bad = [f for f, v in chk["tls_disassembly"].items() if not v["ok"]]
    if bad:
        raise SystemExit("perf: TLS plugins without the expected access sequence: %s" % ", ".join(bad))
    if a.bindir:
        chk["reloc_cache"] = prime_reloc_cache(benches, synth_cache, a.keep_going)
    if a.hybrid_bindir:
        chk["hybrid"] = {"libraries": libs, "skipped": skipped,
                         "statistics": hybrid_statistics(benches, a.keep_going),
                         "reloc_cache": prime_reloc_cache(benches, cache_dir, a.keep_going)}
    t0 = datetime.datetime.now()
    for r in range(rounds):
        for x in benches:
            run_one(x, r, a.keep_going)
        print("round %d/%d done" % (r + 1, rounds), file=sys.stderr, flush=True)
    byid = {x.id: x for x in benches}

    rows = []
    for x in benches:
        for m in x.metrics:
            s = summary(x.samples[m])
            rows.append({"id": x.id + ("" if m == "value" else ":" + m), "case": x.case, "loader": x.loader,
                         "plugin": x.plugin, "metric": m, "unit": x.unit if m == "value" else unit_of(m),
                         "group": x.group, "error": x.error, **s, "samples": x.samples[m]})
    rrows = []
    for rt in ratios:
        num, den = byid[rt.num], byid[rt.den]
        # paired per round (a benchmark dropped by --keep-going has fewer rounds)
        dn = dict(zip(den.rounds, den.samples[rt.metric]))
        bs = dict(zip(byid[rt.base].rounds, byid[rt.base].samples[rt.metric])) if rt.base else {}
        per = [(p - bs[k]) / (dn[k] - bs[k]) if rt.base else p / dn[k]
               for k, p in zip(num.rounds, num.samples[rt.metric])
               if dn.get(k) and (not rt.base or (k in bs and dn[k] != bs[k]))]
        s = summary(per)
        passed = None if rt.target is None or s["median"] is None else s["median"] <= rt.target
        rrows.append({"num": rt.num, "den": rt.den, "base": rt.base, "what": rt.what, "metric": rt.metric,
                      "target": rt.target,
                      "pass": passed, "group": num.group, **s, "samples": per})

    res = {"date": t0.isoformat(timespec="seconds"), "commit": source_version(),
           "mode": "quick" if a.quick else "full", "rounds": rounds,
           "n_functions": n, "machine": info, "loadavg_at_end": open("/proc/loadavg").read().split()[:3],
           "checks": chk, "results": rows, "ratios": rrows,
           "failed": {x.id: x.error for x in benches if x.error},
           "commands": {x.id: command_line(x, rel=True) for x in benches},
           "bindirs": {"static": a.bindir, "hybrid": a.hybrid_bindir}}

    # ---- stdout
    print("\nstaticdl perf (%s, %d round%s%s; %s, nproc %s, %s)" % (
        res["mode"], rounds, "" if rounds == 1 else "s",
        ", n=%d functions + %d tables" % (n, n) if n else "", info["cpu"], info["nproc"], info["kernel"]))
    plain = [r for r in rows if r["group"] != "hybrid"]
    if plain:
        w = max(len(r["id"]) for r in plain) + 2
        print("\n%-*s %10s %22s  %s" % (w, "benchmark (case/loader/plugin cc)", "median", "min-max", "unit"))
        for r in plain:
            print("%-*s %10s %22s  %s" % (w, r["id"], fmt(r["median"]), fmt(r["min"]) + "-" + fmt(r["max"]),
                                          r["unit"] if not r["error"] else "FAILED"))
        prr = [r for r in rrows if r["group"] != "hybrid"]
        w2 = max([len(r["num"]) for r in prr] + [10]) + 2
        print("\n%-*s %-16s %8s %16s %8s %s" % (w2, "ratio (per round)", "vs", "median", "min-max", "target", "result"))
        for r in prr:
            print("%-*s %-16s %8s %16s %8s %s" % (w2, r["num"], r["den"].split("/", 1)[1], fmt3(r["median"]),
                                                  fmt3(r["min"]) + "-" + fmt3(r["max"]), target_text(r, "<="),
                                                  result_text(r, "MISS")))
        print("\n".join(synth_cache_note(res)))
        print("\nrelocations (readelf -rW):")
        for f, c in chk["relocations"].items():
            print("  %-28s %s" % (f, ", ".join("%s %d" % (k[9:], v) for k, v in sorted(c.items()))))
    if a.hybrid_bindir:
        print("\nreal libraries, hybrid mode (dlopen RTLD_NOW, ms; faults = minor + major page faults in the dlopen):\n")
        print("\n".join(hybrid_table(res)))
    for bid, err in res["failed"].items():
        print("FAILED %s: %s" % (bid, err), file=sys.stderr)

    os.makedirs(os.path.dirname(os.path.abspath(a.out)), exist_ok=True)
    with open(a.out, "w") as fh:
        json.dump(res, fh, indent=1)
    md = os.path.splitext(a.out)[0] + ".md"
    with open(md, "w") as fh:
        fh.write(markdown(res))
    print("\nresults: %s (tables for RESULTS.md: %s)" % (a.out, md))
    if res["failed"]:
        sys.exit(1)


def fmt3(x):
    return "-" if x is None else "%.3f" % x


def target_text(r, op):
    return "-" if r["target"] is None else "%s %g" % (op, r["target"])


def result_text(r, miss):
    return "-" if r["pass"] is None else ("pass" if r["pass"] else miss)


def mm(r):
    """A result's median (min-max)."""
    if not r or r["median"] is None:
        return "FAILED" if r and r["error"] else "-"
    return "%s (%s-%s)" % (fmt(r["median"]), fmt(r["min"]), fmt(r["max"]))


def ratio_text(r):
    return "-" if not r or r["median"] is None else "%.2f (%.2f-%.2f)" % (r["median"], r["min"], r["max"])


def hybrid_table(res):
    """The real-library table (markdown, also printed on stdout)."""
    st = res["checks"].get("hybrid", {}).get("statistics", {})
    byid = {r["id"]: r for r in res["results"]}
    rat = {(r["num"], r["metric"]): r for r in res["ratios"] if r["den"].split("/")[1] == "glibc" and not r.get("base")}
    o = ["| library (case) | objects loaded | relocations (staticdl statistics) | staticdl ms | glibc ms "
         "| ratio (paired) | target | result | faults staticdl | faults glibc |",
         "|---|---:|---|---:|---:|---:|---:|---|---:|---:|"]

    cases = []
    for r in res["results"]:
        if r["group"] == "hybrid" and r["case"] not in cases:
            cases.append(r["case"])
    for case in cases:
        s_id, g_id = "%s/staticdl/system" % case, "%s/glibc/system" % case
        s, g = byid.get(s_id), byid.get(g_id)
        lib = (s or g)["plugin"]
        objs = byid.get(s_id + ":objects") or byid.get(g_id + ":objects")
        stat = st.get(case, {})
        rel = ("%d relative, %d symbolic, %d irelative" % (stat["relative"], stat["symbolic"], stat["irelative"])
               if "relative" in stat else stat.get("error", "-"))
        r = rat.get((s_id, "value"))
        o.append("| %s (%s) | %s | %s | %s | %s | %s | %s | %s | %s | %s |" % (
            lib, case, "%g" % objs["median"] if objs and objs["median"] is not None else "-", rel, mm(s), mm(g),
            ratio_text(r), target_text(r, "≤") if r else "-", result_text(r, "**MISS**") if r else "-",
            mm(byid.get(s_id + ":faults")), mm(byid.get(g_id + ":faults"))))
        o += cache_line(case, byid, rat)
    for case, why in res["checks"].get("hybrid", {}).get("skipped", {}).items():
        o.append("| (%s) | skipped: %s | | | | | | | | |" % (case, why))
    o += floor_table(res, cases)
    envs = sorted({c.split(" bin/")[0] for k, c in res["commands"].items()
                   if "/glibc/" in k and "=" in c.split(" ")[0]})
    if envs:
        o.append("")
        o.append("glibc runs with a non-default environment: %s" % "; ".join(
            "%s: `%s`" % (k.split("/")[0], c.split(" bin/")[0]) for k, c in res["commands"].items()
            if "/glibc/" in k and "=" in c.split(" ")[0]))
    return o + cache_note(res["checks"].get("hybrid", {}).get("reloc_cache")) + hybrid_status(res)


def floor_table(res, cases):
    """Each library's floor (floor_bench) and both loaders against it."""
    byid = {r["id"]: r for r in res["results"]}
    rows = []
    for case in cases:
        f_id = "%s/%s/system" % (case, FLOOR_LOADER)
        if f_id not in byid:
            continue
        rat = {(r["what"]): r for r in res["ratios"] if r["den"] == f_id or r.get("base") == f_id}
        rows.append("| %s | %s | %s | %s | %s | %s |" % (
            case, mm(byid[f_id]), mm(byid.get(f_id + ":pages")), ratio_text(rat.get("staticdl/floor")),
            ratio_text(rat.get("glibc/floor")), ratio_text(rat.get("staticdl/glibc above the floor"))))
    if not rows:
        return []
    return ["", "The floor of each library (`floor --all`, perf/src/floor.c: the files glibc's dlopen maps for it, "
            "mapped, the pages relocations write made private with `MADV_POPULATE_WRITE`, every relocated word "
            "written; no symbol lookups, initializers, TLS or RELRO), in the same rounds; ratios paired per round. "
            "\"Above the floor\": (staticdl - floor) / (glibc - floor), the part of a load each loader adds to the "
            "floor.", "",
            "| case | floor ms | pages made private | staticdl / floor | glibc / floor | above the floor: "
            "staticdl / glibc |", "|---|---:|---:|---:|---:|---:|"] + rows


def cache_line(case, byid, rat):
    """The staticdl+cache row of a library, under its staticdl/glibc line:
    time, ratio and faults in the staticdl columns, against the same glibc runs."""
    c_id = "%s/%s/system" % (case, CACHE_LOADER)
    if c_id not in byid:
        return []
    r = rat.get((c_id, "value"))
    return ["| ↳ %s: opt-in relocation cache | | | %s | | %s | %s | %s | %s | |" % (
        CACHE_LOADER, mm(byid[c_id]), ratio_text(r), target_text(r, "≤") if r else "-",
        result_text(r, "**MISS**") if r else "-", mm(byid.get(c_id + ":faults")))]


def cache_note(rc, against="the same glibc runs"):
    """What the staticdl+cache rows ran with (rc: their prime_reloc_cache()),
    and a warning when the cache stayed empty."""
    if not rc or not rc.get("primed"):
        return []
    o = ["", "%s rows: the staticdl binary with `%s=<private directory>` (opt-in; off by default), primed by one "
         "untimed run per library; ratio against %s, paired per round." % (CACHE_LOADER, CACHE_ENV, against)]
    if rc["files"]:
        o[-1] += " Cache after priming: %d files, %.0f KiB." % (len(rc["files"]), sum(rc["files"].values()) / 1024)
    else:
        o[-1] += " **The cache directory stayed empty after priming: these rows measured staticdl without a cache.**"
    return o


def synth_cache_note(res):
    """cache_note() of the synthetic load rows: no target, the targets are the default loader's."""
    return cache_note(res["checks"].get("reloc_cache"), "the same glibc runs (load_relative: and the floor of "
                      "the same plugin), without a target (the targets are for staticdl's default)")


def hybrid_status(res):
    """The real-library target (dlopen <= 0.8x glibc) for staticdl as it is
    by default and, separately, with its opt-in relocation cache."""
    o = []
    labels = (("staticdl", "staticdl (default)"), (CACHE_LOADER, "%s (opt-in %s)" % (CACHE_LOADER, CACHE_ENV)))
    for loader, label in labels:
        rs = [r for r in res["ratios"] if r["group"] == "hybrid" and r["metric"] == "value"
              and r["target"] is not None and r["num"].split("/")[1] == loader]
        if not rs:
            continue
        ok = sum(1 for r in rs if r["pass"])
        each = ", ".join("%s %s" % (r["num"].split("/")[0], "FAILED" if r["median"] is None else "%.3f×" % r["median"])
                         for r in rs)
        o.append("- %s: %d of %d libraries ≤ %g× glibc: %s (%s)" % (
            label, ok, len(rs), rs[0]["target"], "pass" if ok == len(rs) else "**MISS**", each))
    return ["", "Status against the real-libraries target (dlopen, median of the paired ratios):", ""] + o if o else []


def markdown(res):
    """The result tables as markdown (pasted into perf/RESULTS.md)."""
    m = res["machine"]
    o = ["%s run, %s, commit %s, %d round(s); %s, nproc %s, kernel %s; load average %s at start, %s at end\n" % (
        res["mode"], res["date"], res.get("commit", "?"), res["rounds"], m["cpu"], m["nproc"], m["kernel"],
        " ".join(m["loadavg_at_start"]), " ".join(res["loadavg_at_end"]))]
    plain = [r for r in res["results"] if r["group"] != "hybrid"]
    if plain:
        o.append("| benchmark (case/loader/plugin cc) | median | min-max | unit |")
        o.append("|---|---:|---:|---|")
        for r in plain:
            o.append("| %s | %s | %s-%s | %s |" % (r["id"], fmt(r["median"]), fmt(r["min"]), fmt(r["max"]),
                                                   r["unit"] if not r["error"] else "**FAILED**"))
        o.append("")
        o.append("| ratio (paired per round) | vs | median | min-max | target | result |")
        o.append("|---|---|---:|---:|---:|---|")
        for r in res["ratios"]:
            if r["group"] == "hybrid":
                continue
            o.append("| %s | %s | %s | %s-%s | %s | %s |" % (r["num"], r["den"].split("/", 1)[1], fmt3(r["median"]),
                                                             fmt3(r["min"]), fmt3(r["max"]), target_text(r, "<="),
                                                             result_text(r, "**MISS**")))
        o += synth_cache_note(res)
        o.append("")
        o.append("| plugin | relocations (readelf -rW) |")
        o.append("|---|---|")
        for f, c in res["checks"]["relocations"].items():
            o.append("| %s | %s |" % (f, ", ".join("%s %d" % (k, v) for k, v in sorted(c.items()))))
        o.append("")
    if "hybrid" in res["checks"]:
        o.append("Real libraries, hybrid mode (`perf/hybrid`): dlopen(RTLD_NOW) in ms, median (min-max) over rounds; "
                 "ratio = staticdl/glibc paired per round; faults = minor + major page faults during the dlopen; "
                 "↳ staticdl+cache: the same with staticdl's opt-in relocation cache.\n")
        o += hybrid_table(res)
        o.append("")
    if res["failed"]:
        o.append("Failed benchmarks:\n")
        for bid, err in res["failed"].items():
            o.append("- `%s`: %s" % (bid, err.replace("\n", " ")))
        o.append("")
    return "\n".join(o)


def unit_of(m):
    if m in ("faults", "minflt", "majflt"):
        return "page faults"
    if m == "objects":
        return "objects"
    if m == "rss_kb":
        return "KiB"
    if m.endswith("_ns"):
        return "ns"
    if m.startswith("heap_"):
        return "bytes"
    if m.endswith("_kb_per_module"):
        return "KiB"
    return ""


if __name__ == "__main__":
    main()
