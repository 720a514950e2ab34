#!/usr/bin/env python3
"""bench/rounds.py — the scheduler, channel, sync and timer benchmarks in
interleaved rounds (bench/README.md). Called by bench/run:

  rounds.py GORTDIR GODIR ROUNDS RAWLOG NAME...

NAME is a group (sched, chan, sync, timers) or one benchmark of one (spawn,
pingpong, ...). For GOMAXPROCS unset (the default) and then GOMAXPROCS=1,
runs every group ROUNDS times as gort, Go, gort, Go, ...; prints, per
benchmark and side, the median of each measured key with its min and max,
then the ratio gort/Go of the medians beside the goal (the goals hold at
the default GOMAXPROCS). Every other key (n, sum, result...) must be the
same in every run on both sides; a program that fails or prints a wrong
result stops the run with status 1."""
import os
import re
import statistics
import subprocess
import sys

# group: {bench: (measured keys, goal key, goal)} in the programs' order.
GROUPS = {
    "sched": {"spawn": (["ns/goroutine"], "ns/goroutine", 0.5),
              "ctxswitch": (["ns/switch"], None, None),
              "parked": (["bytes/goroutine"], None, None)},
    "chan": {"pingpong": (["ns/roundtrip"], "ns/roundtrip", 0.7),
             "skynet": (["ms"], "ms", 0.5),
             "chanbuf": (["ns/int"], "ns/int", 0.8),
             "select": (["ns/op"], "ns/op", 0.8)},
    "sync": {"mutex": (["ns/op"], "ns/op", 1.0)},
    # One benchmark per process, so the process's CPU time is the benchmark's.
    "timers": {"timers": (["ms", "cpu_ms"], "cpu_ms", 1.0)},
}
# Results known in advance (the programs check them too).
EXPECT = {("skynet", "result"): "499999500000", ("pingpong", "sum"): "500000500000",
          ("chanbuf", "sum"): "49999995000000", ("select", "sum"): "499999500000",
          ("mutex", "count"): "10000000", ("timers", "wakeups"): "1000000"}
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


def main():
    gortdir, godir, rounds, rawlog = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4]
    names = sys.argv[5:]
    plan = []  # (group, benches to run, program arguments)
    for g, benches in GROUPS.items():
        if g in names or not names:
            plan.append((g, list(benches), []))
        else:
            sel = [b for b in benches if b in names]
            if sel:
                plan.append((g, sel, sel if len(benches) > 1 else []))
    if not plan:
        return
    raw = open(rawlog, "a")
    ratios = []
    for procs in ["default", "1"]:
        shown = f"default ({os.cpu_count()} CPUs)" if procs == "default" else "1"
        print(f"== GOMAXPROCS={shown}: {rounds} rounds, gort then Go in each")
        vals = {}  # (bench, impl) -> {key: [floats]}
        fixed = {}  # bench -> {key: value} for the unmeasured keys
        for r in range(rounds):
            for g, benches, args in plan:
                for impl, exe in [("gort", f"{gortdir}/{g}"), ("go", f"{godir}/{g}_go")]:
                    c0 = cpu_children()
                    rc, out, err = run(exe, args, procs)
                    cpu_ms = (cpu_children() - c0) * 1000
                    raw.write(f"# GOMAXPROCS={procs} round={r + 1} {impl} {g}\n{out}{err}")
                    if rc != 0:
                        die(f"{exe} {' '.join(args)} (GOMAXPROCS={procs}) exited {rc}:\n{out}{err}")
                    seen = set()
                    for line in out.splitlines():
                        m = LINE.match(line)
                        if not m or m.group(1) not in benches:
                            die(f"{exe}: unexpected line {line!r}")
                        b = m.group(1)
                        kv = dict(x.split("=", 1) for x in m.group(2).split())
                        measured = GROUPS[g][b][0]
                        if "cpu_ms" in measured:
                            kv["cpu_ms"] = f"{cpu_ms:.1f}"
                        seen.add(b)
                        for k in measured:
                            if k not in kv:
                                die(f"{exe}: no {k}= in {line!r}")
                            vals.setdefault((b, impl), {}).setdefault(k, []).append(float(kv[k]))
                        rest = {k: v for k, v in kv.items() if k not in measured}
                        for k, v in rest.items():
                            want = EXPECT.get((b, k)) if "small" not in args else None
                            if want and v != want:
                                die(f"{exe}: {b} {k}={v}, want {want}")
                        if fixed.setdefault(b, rest) != rest:
                            die(f"{exe}: {b} printed {rest}, another run {fixed[b]}")
                    if seen != set(benches):
                        die(f"{exe}: no line for {sorted(set(benches) - seen)}")
        for g, benches, _ in plan:
            for b in benches:
                measured, goal_key, goal = GROUPS[g][b]
                same = " ".join(f"{k}={v}" for k, v in fixed[b].items())
                med = {}
                for impl in ["gort", "go"]:
                    parts = []
                    for i, k in enumerate(measured):
                        xs = vals[(b, impl)][k]
                        med[(impl, k)] = statistics.median(xs)
                        pre = "" if i == 0 else k + "."
                        parts.append(f"{k}={fmt(med[(impl, k)])} {pre}min={fmt(min(xs))} {pre}max={fmt(max(xs))}")
                    print(f"{b} gomaxprocs={procs} impl={impl} {same} {' '.join(parts)} runs={rounds}")
                rs = {k: med[("gort", k)] / med[("go", k)] for k in measured}
                verdict = ""
                if goal is not None and procs == "default":
                    verdict = f" goal:{goal_key}<={goal} " + ("ok" if rs[goal_key] <= goal else "MISSED")
                print(f"{b} gomaxprocs={procs} ratio=gort/go "
                      + " ".join(f"{k}={rs[k]:.3f}" for k in measured) + verdict)
                ratios.append((b, procs, rs, goal_key, goal))
    print("== ratios gort/go (medians); goals at the default GOMAXPROCS")
    for b in dict.fromkeys(r[0] for r in ratios):
        row = {p: (rs, gk, g) for bb, p, rs, gk, g in ratios if bb == b}
        rs, gk, g = row["default"]
        k = gk or next(iter(rs))
        line = f"{b:10} {k:16} default={rs[k]:.3f}"
        if "1" in row:
            line += f" gomaxprocs=1={row['1'][0][k]:.3f}"
        if g is not None:
            line += f"  goal<={g} " + ("ok" if rs[k] <= g else "MISSED")
        print(line)


if __name__ == "__main__":
    main()
