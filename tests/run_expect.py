#!/usr/bin/env python3
"""Runs a program and checks its exit status and output: the runner for
gort's fatal-path and boot tests. In a cross build, meson test exports the
cross file's exe_wrapper (QEMU) as MESON_EXE_WRAPPER; the program runs under it.

  run_expect.py [--status N] [--out RE]... [--err RE]... [--err-count RE N]... [--no-err] [--stdout-broken]
                [--env K=V]... [--clear-env] [--close-fd N] [--rlimit-as BYTES]
                [--rlimit-stack BYTES] [--no-aslr] -- PROGRAM ARGS...

--out/--err regexes must match lines of stdout/stderr in the order given
(each after the previous match); --err-count RE N: exactly N lines of stderr
match RE (anywhere). Exit 0 if everything holds, 1 otherwise."""
import argparse
import ctypes
import os
import re
import resource
import shlex
import subprocess
import sys


def ordered_match(text, patterns, stream):
    lines = text.splitlines()
    i = 0
    for pat in patterns:
        rx = re.compile(pat)
        while i < len(lines) and not rx.search(lines[i]):
            i += 1
        if i == len(lines):
            return f"{stream}: no line matching {pat!r} (in order)"
        i += 1
    return None


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--status", type=int, default=0)
    ap.add_argument("--out", action="append", default=[])
    ap.add_argument("--err", action="append", default=[])
    ap.add_argument("--err-count", nargs=2, action="append", default=[], metavar=("RE", "N"),
                    help="exactly N lines of stderr match RE")
    ap.add_argument("--no-err", action="store_true", help="stderr must be empty")
    ap.add_argument("--env", action="append", default=[])
    ap.add_argument("--close-fd", type=int, action="append", default=[])
    ap.add_argument("--rlimit-as", type=int, help="address-space limit in bytes (ulimit -v)")
    ap.add_argument("--rlimit-stack", type=int, help="stack limit in bytes (ulimit -s)")
    ap.add_argument("--clear-env", action="store_true", help="only the --env variables")
    ap.add_argument("--no-aslr", action="store_true",
                    help="no address-space randomization (Linux personality ADDR_NO_RANDOMIZE)")
    ap.add_argument("--stdout-broken", action="store_true",
                    help="stdout is a pipe nobody reads (its read end closed); --out then matches nothing")
    ap.add_argument("--no-wrapper", action="store_true",
                    help="run natively even in a cross build (the compiler, not a gort program)")
    ap.add_argument("cmd", nargs=argparse.REMAINDER)
    a = ap.parse_args()
    cmd = a.cmd[1:] if a.cmd[:1] == ["--"] else a.cmd
    env = {} if a.clear_env else dict(os.environ)
    for kv in a.env:
        k, _, v = kv.partition("=")
        env[k] = v

    def child_setup():
        for fd in a.close_fd:
            os.close(fd)
        if a.rlimit_as:
            resource.setrlimit(resource.RLIMIT_AS, (a.rlimit_as, a.rlimit_as))
        if a.no_aslr:
            ctypes.CDLL(None).personality(0x0040000)
        if a.rlimit_stack:
            # Lowered just before exec: this child does not grow its stack.
            resource.setrlimit(resource.RLIMIT_STACK, (a.rlimit_stack, resource.RLIM_INFINITY))

    stdin = subprocess.DEVNULL
    if 0 in a.close_fd:
        stdin = None  # closed in the child instead
    wrapper = [] if a.no_wrapper else shlex.split(os.environ.get("MESON_EXE_WRAPPER", ""))
    stdout = subprocess.PIPE
    if a.stdout_broken:
        rd, stdout = os.pipe()
        os.close(rd)
    p = subprocess.run(wrapper + cmd, env=env, stdin=stdin, stdout=stdout, stderr=subprocess.PIPE,
                       preexec_fn=child_setup if a.close_fd or a.rlimit_as or a.rlimit_stack or a.no_aslr else None, timeout=300)
    if a.stdout_broken:
        os.close(stdout)
    out = (p.stdout or b"").decode(errors="replace")
    err = p.stderr.decode(errors="replace")
    problems = []
    if p.returncode != a.status:
        problems.append(f"exit status {p.returncode}, want {a.status}")
    for msg in (ordered_match(out, a.out, "stdout"), ordered_match(err, a.err, "stderr")):
        if msg:
            problems.append(msg)
    for pat, n in a.err_count:
        seen = sum(1 for line in err.splitlines() if re.search(pat, line))
        if seen != int(n):
            problems.append(f"stderr: {seen} lines match {pat!r}, want {n}")
    if a.no_err and err:
        problems.append("stderr not empty")
    sys.stdout.write(f"$ {' '.join(wrapper + cmd)}\n--- stdout\n{out}--- stderr\n{err}---\n")
    for pr in problems:
        print("FAIL:", pr)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
