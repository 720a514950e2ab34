#!/usr/bin/env python3
"""Prints the arch/ folder whose meson.build declares the given Meson cpu
family (its `arch_cpu_family = '...'` line), so that adding a CPU means adding
a folder and no list to edit. Exit 1, naming what is missing, if none does."""
import pathlib
import re
import sys

root, family = pathlib.Path(sys.argv[1]), sys.argv[2]
found = []
for build in sorted(root.glob('arch/*/meson.build')):
    m = re.search(r"^arch_cpu_family\s*=\s*'([^']*)'", build.read_text(), re.M)
    if m and m.group(1) == family:
        found.append(build.parent.name)
if len(found) != 1:
    why = 'no arch/<name>/meson.build declares' if not found else 'several folders declare'
    print(f"{why} arch_cpu_family = '{family}'", end='')
    sys.exit(1)
print(found[0], end='')
