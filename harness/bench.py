#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""make bench: how long the next kernel takes to reserve what the previous
one preserved, for growing preserved sets. Prints the kernel's own
'KHO: restored ...' measurement per size; nothing here is a pass/fail
timing assertion (make check has the correctness tests)."""

import os
import re
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import run as runner  # noqa: E402
from progress import Ticker  # noqa: E402

TOP = runner.TOP
BUILD = os.path.join(TOP, 'build')
LINE = re.compile(r'KHO: restored (\d+) blocks \((\d+) pages\) in (\d+) '
                  r'ranges, (\d+) us')
SIZES_MB = [64, 256, 1024]


def main():
    for cmd in (['harness/tree.sh'], ['harness/build.sh', 'small'],
                ['harness/initramfs.sh', 'small']):
        if subprocess.run(cmd, cwd=TOP).returncode:
            return 1
    print('%8s %8s %9s %8s %10s %12s' % ('MiB', 'blocks', 'pages', 'ranges',
                                         'restore us', 'us per GiB'))
    status = 0
    for mb in SIZES_MB:
        args = runner.arg_parser().parse_args([
            '--kernel', os.path.join(BUILD, 'obj-small/arch/x86/boot/bzImage'),
            '--initrd', os.path.join(BUILD, 'initramfs-small.cpio.gz'),
            '--scenario', 'kho-preserve', '--gens', '2', '--mem', '4G',
            '--timeout', '600',
            '--log', os.path.join(BUILD, 'logs', 'bench-%d.log' % mb),
            '--append', 'kho=on', '--append', 'kunit.enable=0',
            '--append', 'test_kho.size_mb=%d' % mb])
        os.makedirs(os.path.dirname(args.log), exist_ok=True)
        with Ticker('bench: preserve %d MiB, kexec, restore' % mb):
            res = runner.run(args)
        m = LINE.search(res.gen_logs[1]) if len(res.gen_logs) > 1 else None
        if not res.passed or not m:
            print('%8d  run failed: %s (log %s)' % (mb, res.reason(), args.log))
            status = 1
            continue
        blocks, pages, ranges, us = map(int, m.groups())
        per_gib = us * (1 << 18) / pages if pages else 0
        print('%8d %8d %9d %8d %10d %12.0f' % (mb, blocks, pages, ranges, us,
                                               per_gib))
    return status


if __name__ == '__main__':
    sys.exit(main())
