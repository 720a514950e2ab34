#!/usr/bin/env python3
"""bench/rounds.py — the scheduler, channel, sync, timer and collector
benchmarks in interleaved rounds (bench/README.md). Called by bench/run:

  rounds.py GORTDIR GODIR ROUNDS RAWLOG NAME...

NAME is a group (sched, chan, sync, timers, gc) or one benchmark of one
(spawn, pingpong, bintree, ...). For GOMAXPROCS unset (the default) and then
GOMAXPROCS=1, runs every group ROUNDS times as gort, Go, gort, Go, ...;
prints, per benchmark and side, the median of each measured key with its
min and max, then the ratio gort/Go of the medians beside the goals (the
goals hold at the default GOMAXPROCS). Every other key (n, sum, result...) must be the
same in every run on both sides; a program that fails or prints a wrong
result stops the run with status 1."""
import os
import re
import statistics
import subprocess
import sys

# group: {bench: (measured keys, {key: goal}) } in the programs' order. A
# goal is the most gort/Go may be; None shows the ratio in the table without
# one. Without goals the table shows the first measured key.
GROUPS = {
    "sched": {"spawn": (["ns/goroutine"], {"ns/goroutine": 0.5}),
              "ctxswitch": (["ns/switch"], {}),
              "parked": (["bytes/goroutine"], {})},
    "chan": {"pingpong": (["ns/roundtrip"], {"ns/roundtrip": 0.7}),
             "skynet": (["ms"], {"ms": 0.5}),
             "chanbuf": (["ns/int"], {"ns/int": 0.8}),
             "select": (["ns/op"], {"ns/op": 0.8})},
    "sync": {"mutex": (["ns/op"], {"ns/op": 1.0})},
    # One benchmark per process, so the process's CPU time is the benchmark's.
    "timers": {"timers": (["ms", "cpu_ms"], {"cpu_ms": 1.0})},
    # The collector's: gcs and the pauses vary with timing, so they are
    # medians too.
    "gc": {"bintree": (["ms", "gcs", "maxpause_us", "peak_rss_kb"], {"ms": 0.8, "peak_rss_kb": 1.0}),
           "garbage": (["ns_per_alloc", "gcs", "maxpause_us"], {"ns_per_alloc": 1.0}),
           "gcpause": (["pause_us", "gc_ms", "mark_mb_per_s_per_p", "heap_mb"],
                       {"pause_us": None, "mark_mb_per_s_per_p": None}),
           "alloc16": (["ns/op", "gcs"], {"ns/op": 1.0})},
}
# Groups whose benchmarks are programs of their own (named as the benchmark),
# run once per argument list each round, one process each (a peak RSS is the
# process's). A program printing several lines of one benchmark tells them
# apart by VARIANT's key.
PROGRAMS = {"gc": {"bintree": [["18"], ["21"]], "garbage": [[]], "gcpause": [[]], "alloc16": [[]]}}
VARIANT = {"bintree": "depth", "alloc16": "threads"}
# Benchmarks that set GOMAXPROCS themselves (to 1, then 2): run once, in the
# default pass.
OWN_PROCS = {"alloc16"}
# Results known in advance (the programs check them too).
EXPECT = {("skynet", "result"): "499999500000", ("pingpong", "sum"): "500000500000",
          ("chanbuf", "sum"): "49999995000000", ("select", "sum"): "499999500000",
          ("mutex", "count"): "10000000", ("timers", "wakeups"): "1000000",
          ("bintree depth=18", "check"): "68332206", ("bintree depth=21", "check"): "613766494",
          ("garbage", "n"): "16000000", ("gcpause", "objects"): "33553408"}
SPEC = {b: spec for benches in GROUPS.values() for b, spec in benches.items()}
LINE = re.compile(r"^(\w+)((?: [\w/]+=\S+)+)$")


def die(msg):
    sys.stdout.flush()
    print(f"bench/run: FAILED: {msg}", file=sys.stderr)
    sys.exit(1)


def run(exe, args, procs):
    env = {k: v for k, v in os.environ.items() if k != "GOMAXPROCS"}
    if procs != "default":
        env["GOMAXPROCS"] = procs
    p = subprocess.Popen([exe] + args, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    out, err = p.communicate()
    return p.returncode, out, err


def cpu_children():  # user+sys seconds of the reaped children (one runs at a time)
    import resource
    r = resource.getrusage(resource.RUSAGE_CHILDREN)
    return r.ru_utime + r.ru_stime


def fmt(x):
    return f"{x:.1f}" if x >= 10 else f"{x:.2f}"


def ratio(a, b):  # gcs may be 0 on both sides
    return a / b if b else (1.0 if a == 0 else float("inf"))


def plan_runs(names):
    """The processes of one round: (program, arguments, benchmarks it prints)."""
    plan = []
    for g, benches in GROUPS.items():
        sel = list(benches) if g in names or not names else [b for b in benches if b in names]
        if not sel:
            continue
        if g in PROGRAMS:
            plan += [(b, args, [b]) for b in sel for args in PROGRAMS[g][b]]
        else:
            plan.append((g, sel if len(sel) < len(benches) else [], sel))
    return plan


def main():
    gortdir, godir, rounds, rawlog = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4]
    plan = plan_runs(sys.argv[5:])
    if not plan:
        return
    raw = open(rawlog, "a")
    ratios = []  # (line id, procs, {key: ratio}, goals)
    for procs in ["default", "1"]:
        runs = [r for r in plan if procs == "default" or not set(r[2]) <= OWN_PROCS]
        if not runs:
            continue
        shown = f"default ({os.cpu_count()} CPUs)" if procs == "default" else "1"
        print(f"== GOMAXPROCS={shown}: {rounds} rounds, gort then Go in each")
        vals = {}  # (line id, impl) -> {key: [floats]}
        fixed = {}  # line id -> {key: value} for the unmeasured keys
        for r in range(rounds):
            for prog, args, benches in runs:
                for impl, exe in [("gort", f"{gortdir}/{prog}"), ("go", f"{godir}/{prog}_go")]:
                    c0 = cpu_children()
                    rc, out, err = run(exe, args, procs)
                    cpu_ms = (cpu_children() - c0) * 1000
                    raw.write(f"# GOMAXPROCS={procs} round={r + 1} {impl} {prog} {' '.join(args)}\n{out}{err}")
                    if rc != 0:
                        die(f"{exe} {' '.join(args)} (GOMAXPROCS={procs}) exited {rc}:\n{out}{err}")
                    seen = set()
                    for line in out.splitlines():
                        m = LINE.match(line)
                        if not m or m.group(1) not in benches:
                            die(f"{exe}: unexpected line {line!r}")
                        b = m.group(1)
                        kv = dict(x.split("=", 1) for x in m.group(2).split())
                        lid = b
                        if b in VARIANT:
                            if VARIANT[b] not in kv:
                                die(f"{exe}: no {VARIANT[b]}= in {line!r}")
                            lid = f"{b} {VARIANT[b]}={kv.pop(VARIANT[b])}"
                        measured = SPEC[b][0]
                        if "cpu_ms" in measured:
                            kv["cpu_ms"] = f"{cpu_ms:.1f}"
                        seen.add(b)
                        for k in measured:
                            if k not in kv:
                                die(f"{exe}: no {k}= in {line!r}")
                            vals.setdefault((lid, impl), {}).setdefault(k, []).append(float(kv[k]))
                        rest = {k: v for k, v in kv.items() if k not in measured}
                        for k, v in rest.items():
                            want = EXPECT.get((lid, k))
                            if want and v != want:
                                die(f"{exe}: {lid} {k}={v}, want {want}")
                        if fixed.setdefault(lid, rest) != rest:
                            die(f"{exe}: {lid} printed {rest}, another run {fixed[lid]}")
                    if seen != set(benches):
                        die(f"{exe}: no line for {sorted(set(benches) - seen)}")
        for lid in fixed:
            measured, goals = SPEC[lid.split()[0]]
            same = " ".join(f"{k}={v}" for k, v in fixed[lid].items())
            med = {}
            for impl in ["gort", "go"]:
                parts = []
                for i, k in enumerate(measured):
                    xs = vals[(lid, impl)][k]
                    med[(impl, k)] = statistics.median(xs)
                    pre = "" if i == 0 else k + "."
                    parts.append(f"{k}={fmt(med[(impl, k)])} {pre}min={fmt(min(xs))} {pre}max={fmt(max(xs))}")
                print(f"{lid} gomaxprocs={procs} impl={impl} {same} {' '.join(parts)} runs={rounds}")
            rs = {k: ratio(med[("gort", k)], med[("go", k)]) for k in measured}
            verdict = ""
            if procs == "default":
                verdict = "".join(f" goal:{k}<={g} " + ("ok" if rs[k] <= g else "MISSED")
                                  for k, g in goals.items() if g is not None)
            print(f"{lid} gomaxprocs={procs} ratio=gort/go "
                  + " ".join(f"{k}={rs[k]:.3f}" for k in measured) + verdict)
            ratios.append((lid, procs, rs, goals or {measured[0]: None}))
    print("== ratios gort/go (medians); goals at the default GOMAXPROCS")
    for lid in dict.fromkeys(r[0] for r in ratios):
        row = {p: (rs, goals) for ll, p, rs, goals in ratios if ll == lid}
        rs, goals = row["default"]
        for k, g in goals.items():
            line = f"{lid:18} {k:20} default={rs[k]:.3f}"
            if "1" in row:
                line += f" gomaxprocs=1={row['1'][0][k]:.3f}"
            if g is not None:
                line += f"  goal<={g} " + ("ok" if rs[k] <= g else "MISSED")
            print(line)


if __name__ == "__main__":
    main()
