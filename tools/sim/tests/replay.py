#!/usr/bin/env python3
"""gort-sim's determinism: a multi-threaded gort program run twice with one
seed gives byte-identical --trace=syscalls output (and stdout), and runs with
other seeds give other interleavings (the traces differ).

  replay.py GORT_SIM PROGRAM ARGS..."""
import subprocess
import sys


def run(sim, prog, seed):
    r = subprocess.run([sim, '--seed', str(seed), '--quantum', '500', '--trace=syscalls'] + prog,
                       stdout=subprocess.PIPE, stderr=subprocess.PIPE, timeout=600)
    return r.returncode, r.stdout, r.stderr


def main():
    sim, prog = sys.argv[1], sys.argv[2:]
    a = run(sim, prog, 11)
    b = run(sim, prog, 11)
    if a[0] != 0:
        print(f'seed 11 exited {a[0]}:\n' + a[2].decode(errors='replace')[-2000:])
        return 1
    if a != b:
        print('the same seed gave different runs')
        return 1
    threads = {line.split(b']')[0] for line in a[2].splitlines() if line.startswith(b'[')}
    if len(threads) < 2:
        print('only one guest thread made system calls: nothing interleaved')
        return 1
    others = [run(sim, prog, s) for s in (12, 13)]
    if all(o[2] == a[2] for o in others):
        print('seeds 11, 12 and 13 gave the same interleaving')
        return 1
    print(f'same seed: identical {len(a[2])}-byte traces of {len(threads)} threads; other seeds differ')
    return 0


if __name__ == '__main__':
    sys.exit(main())
