#!/usr/bin/env python3
"""Runs the staticdl performance suite (perf/run.sh calls this).

  driver.py --bindir <build>/perf [--rounds 7] [--quick] [--out FILE]
            [--only SUBSTR]

Every measurement is a fresh process (bin/bench_<loader> <case> ..., or
bin/floor) printing `key value` lines. Rounds are interleaved: round r runs
every benchmark once, in a fixed order, before round r+1 starts, so a busy
moment on the machine hits all loaders alike. Reported: the median and the
min-max over rounds; a ratio is computed per round (the two processes ran
back to back) and its median and min-max reported.
"""
import argparse
import datetime
import json
import os
import platform
import re
import statistics
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))


class Bench:
    def __init__(self, bid, case, loader, plugin, unit, argv, metrics=("value",)):
        self.id, self.case, self.loader, self.plugin, self.unit = bid, case, loader, plugin, unit
        self.argv, self.metrics = argv, metrics
        self.samples = {m: [] for m in metrics}


class Ratio:
    def __init__(self, num, den, target=None, what="", metric="value"):
        self.num, self.den, self.target, self.what, self.metric = num, den, target, what, metric


def benchmarks(b, quick):
    """The benchmark list; b = the perf build directory."""
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
        x = Bench(*a, **k)
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


def make_copies(src, d, count):
    os.makedirs(d, exist_ok=True)
    data = open(src, "rb").read()
    for name in ["libmem_warm.so"] + ["libmem_%03d.so" % i for i in range(count)]:
        p = os.path.join(d, name)
        if not os.path.exists(p) or os.path.getsize(p) != len(data) or open(p, "rb").read() != data:
            with open(p, "wb") as fh:
                fh.write(data)


def run_one(bench):
    r = subprocess.run(bench.argv, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, timeout=120)
    if r.returncode != 0:
        raise SystemExit("perf: %s failed (%d): %s\n%s" % (bench.id, r.returncode, " ".join(bench.argv), r.stderr))
    vals = {}
    for line in r.stdout.splitlines():
        k, _, v = line.partition(" ")
        try:
            vals[k] = float(v)
        except ValueError:
            vals[k] = v
    for m in bench.metrics:
        if m not in vals:
            raise SystemExit("perf: %s printed no %s:\n%s" % (bench.id, m, r.stdout))
        v = vals[m]
        if m == "value" and bench.unit == "ms":
            v = v / 1e6
        bench.samples[m].append(v)


def summary(xs):
    return {"median": statistics.median(xs), "min": min(xs), "max": max(xs), "n": len(xs)}


def fmt(x):
    if x is None:
        return "-"
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
    ap.add_argument("--bindir", required=True)
    ap.add_argument("--rounds", type=int, default=7)
    ap.add_argument("--quick", action="store_true")
    ap.add_argument("--out", default=os.path.join(HERE, "results", "latest.json"))
    ap.add_argument("--only", default="", help="run only benchmarks whose id contains this")
    a = ap.parse_args()
    rounds = 1 if a.quick else a.rounds
    benches, ratios, n = benchmarks(a.bindir, a.quick)
    if a.only:
        benches = [x for x in benches if a.only in x.id]
        keep = {x.id for x in benches}
        ratios = [r for r in ratios if r.num in keep and r.den in keep]
    info = machine()
    chk = checks(a.bindir, a.quick)
    bad = [f for f, v in chk["tls_disassembly"].items() if not v["ok"]]
    if bad:
        raise SystemExit("perf: TLS plugins without the expected access sequence: %s" % ", ".join(bad))
    t0 = datetime.datetime.now()
    for r in range(rounds):
        for x in benches:
            run_one(x)
        print("round %d/%d done" % (r + 1, rounds), file=sys.stderr, flush=True)
    byid = {x.id: x for x in benches}

    rows = []
    for x in benches:
        for m in x.metrics:
            s = summary(x.samples[m])
            rows.append({"id": x.id + ("" if m == "value" else ":" + m), "case": x.case, "loader": x.loader,
                         "plugin": x.plugin, "metric": m, "unit": x.unit if m == "value" else unit_of(m),
                         **s, "samples": x.samples[m]})
    rrows = []
    for rt in ratios:
        num, den = byid[rt.num].samples[rt.metric], byid[rt.den].samples[rt.metric]
        per = [p / q for p, q in zip(num, den) if q]
        s = summary(per)
        passed = None if rt.target is None else s["median"] <= rt.target
        rrows.append({"num": rt.num, "den": rt.den, "what": rt.what, "target": rt.target, "pass": passed, **s,
                      "samples": per})

    # ---- stdout table
    print("\nstaticdl perf (%s, %d round%s, n=%d functions + %d tables; %s, nproc %s, %s)" % (
        "quick" if a.quick else "full", rounds, "" if rounds == 1 else "s", n, n, info["cpu"], info["nproc"],
        info["kernel"]))
    w = max(len(r["id"]) for r in rows) + 2
    print("\n%-*s %10s %22s  %s" % (w, "benchmark (case/loader/plugin cc)", "median", "min-max", "unit"))
    for r in rows:
        print("%-*s %10s %22s  %s" % (w, r["id"], fmt(r["median"]), fmt(r["min"]) + "-" + fmt(r["max"]), r["unit"]))
    w2 = max([len(r["num"]) for r in rrows] + [10]) + 2
    print("\n%-*s %-16s %8s %16s %8s %s" % (w2, "ratio (per round)", "vs", "median", "min-max", "target", "result"))
    for r in rrows:
        den = r["den"].split("/", 1)[1]
        res = "-" if r["pass"] is None else ("pass" if r["pass"] else "MISS")
        tgt = "-" if r["target"] is None else "<=%g" % r["target"]
        print("%-*s %-16s %8.3f %16s %8s %s" % (w2, r["num"], den, r["median"],
                                                "%.3f-%.3f" % (r["min"], r["max"]), tgt, res))
    print("\nrelocations (readelf -rW):")
    for f, c in chk["relocations"].items():
        print("  %-28s %s" % (f, ", ".join("%s %d" % (k[9:], v) for k, v in sorted(c.items()))))

    res = {"date": t0.isoformat(timespec="seconds"), "mode": "quick" if a.quick else "full", "rounds": rounds,
           "n_functions": n, "machine": info, "loadavg_at_end": open("/proc/loadavg").read().split()[:3],
           "checks": chk, "results": rows, "ratios": rrows,
           "commands": {x.id: " ".join(os.path.relpath(p, a.bindir) if p.startswith(a.bindir) else p
                                       for p in x.argv) for x in benches}}
    os.makedirs(os.path.dirname(os.path.abspath(a.out)), exist_ok=True)
    with open(a.out, "w") as fh:
        json.dump(res, fh, indent=1)
    md = os.path.splitext(a.out)[0] + ".md"
    with open(md, "w") as fh:
        fh.write(markdown(res))
    print("\nresults: %s (tables for RESULTS.md: %s)" % (a.out, md))


def markdown(res):
    """The result tables as markdown (pasted into perf/RESULTS.md)."""
    m = res["machine"]
    o = ["%s run, %s, %d round(s); %s, nproc %s, kernel %s; load average %s at start, %s at end\n" % (
        res["mode"], res["date"], res["rounds"], m["cpu"], m["nproc"], m["kernel"], " ".join(m["loadavg_at_start"]),
        " ".join(res["loadavg_at_end"]))]
    o.append("| benchmark (case/loader/plugin cc) | median | min-max | unit |")
    o.append("|---|---:|---:|---|")
    for r in res["results"]:
        o.append("| %s | %s | %s-%s | %s |" % (r["id"], fmt(r["median"]), fmt(r["min"]), fmt(r["max"]), r["unit"]))
    o.append("")
    o.append("| ratio (paired per round) | vs | median | min-max | target | result |")
    o.append("|---|---|---:|---:|---:|---|")
    for r in res["ratios"]:
        res_ = "-" if r["pass"] is None else ("pass" if r["pass"] else "**MISS**")
        tgt = "-" if r["target"] is None else "<= %g" % r["target"]
        o.append("| %s | %s | %.3f | %.3f-%.3f | %s | %s |" % (r["num"], r["den"].split("/", 1)[1], r["median"],
                                                              r["min"], r["max"], tgt, res_))
    o.append("")
    o.append("| plugin | relocations (readelf -rW) |")
    o.append("|---|---|")
    for f, c in res["checks"]["relocations"].items():
        o.append("| %s | %s |" % (f, ", ".join("%s %d" % (k, v) for k, v in sorted(c.items()))))
    o.append("")
    return "\n".join(o)


def unit_of(m):
    if m.startswith("heap_"):
        return "bytes"
    if m.endswith("_kb_per_module"):
        return "KiB"
    return ""


if __name__ == "__main__":
    main()
