#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""make bench: what preserving costs before a kexec and what restoring
costs the next kernel, for 1 and 4 GiB preserved in four layouts, with
the sorted restore and with kho_restore=per-block (upstream's one
memblock_reserve() per block) on identical input.

Every time printed is the kernels' own: the guest program's preserve
timing, the next kernel's 'KHO: restored ...' line and its printk
timestamps; never the arrival time of serial output. Nothing here is a
pass/fail assertion (make check has the correctness tests).

Environment: BENCH_SIZES (MiB, default '1024 4096'), BENCH_LAYOUTS (of the
sorted runs, default all four), BENCH_MEM (guest
memory, default 12G), BENCH_ACCEL (tcg by default; kvm where nested KVM is
fast), BENCH_REPEAT (boots per sorted-mode
entry, the one with the least reserve time is shown; default 2: a
reserve of a few milliseconds moves with the host's load),
BENCH_PER_BLOCK ('MiB' sizes
at which the per-block mode runs for the dense, order9 and random layouts,
default '1024 4096'), BENCH_SCATTERED_PB (sizes at which it runs for the
scattered layout, default '64 256 1024': its per-block restore is
quadratic, about 25 minutes for 1 GiB under TCG, most of the bench's 40;
larger sizes are extrapolated from the two largest measured, and marked).
"""

import os
import re
import shutil
import subprocess
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import run as runner  # noqa: E402
from progress import Ticker  # noqa: E402

TOP = runner.TOP
BUILD = os.path.join(TOP, 'build')
RESTORE = re.compile(
    r'\[\s*(\d+\.\d+)\] KHO: restored (\d+) blocks \((\d+) pages\) in (\d+) '
    r'ranges, (\d+) us: check (\d+) us, reserve (\d+) us, (\d+) reserved '
    r'regions \(([a-z-]+)\), tree of (\d+) pages \((\d+) leaves, at least '
    r'(\d+)\)')
PRESERVE = re.compile(r'# preserve: (\d+) blocks in (\d+) ns, one bit each '
                      r'in a bitmap (\d+) ns')
BOOT = re.compile(r'KHO: boot: restored (\d+) us and last initcalls (\d+) us '
                  r'after the hand-over was found; the restore took (\d+) us, '
                  r'(\d+\.\d+)%')
LAYOUTS = ['dense', 'scattered', 'order9', 'random']


def accel():
    # Nested KVM on the project machine did not boot the guest: opt-in.
    return os.environ.get('BENCH_ACCEL', 'tcg')


def sizes(var, default):
    return [int(s) for s in os.environ.get(var, default).split()]


# The images every boot of one bench run uses: copied, so that a build
# during the run does not change them half way.
IMAGES = os.path.join(BUILD, 'bench')


def snapshot_images():
    os.makedirs(IMAGES, exist_ok=True)
    for src in ('obj-small/arch/x86/boot/bzImage', 'initramfs-small.cpio.gz'):
        shutil.copy(os.path.join(BUILD, src), IMAGES)


def boot(name, mb, layout, mode, mem, acc):
    """Preserve @mb MiB in @layout, kexec, restore with @mode; parse."""
    log = os.path.join(BUILD, 'logs', 'bench-%s.log' % name)
    append = ['kho=on', 'kunit.enable=0', 'test_kho.size_mb=%d' % mb,
              'test_kho.layout=%s' % layout]
    if mode != 'sorted':
        append.append('kho_restore=%s' % mode)
    argv = ['--kernel', os.path.join(IMAGES, 'bzImage'),
            '--initrd', os.path.join(IMAGES, 'initramfs-small.cpio.gz'),
            '--scenario', 'kho-preserve', '--gens', '2', '--mem', mem,
            '--accel', acc, '--timeout', '3600', '--log', log]
    for a in append:
        argv += ['--append', a]
    args = runner.arg_parser().parse_args(argv)
    os.makedirs(os.path.dirname(log), exist_ok=True)
    with Ticker('bench: %s' % name):
        res = runner.run(args)
    logs = res.gen_logs
    r = RESTORE.search(logs[1]) if len(logs) > 1 else None
    p = PRESERVE.search(logs[0]) if logs else None
    u = BOOT.search(logs[1]) if len(logs) > 1 else None
    if not res.passed or not r or not p or not u:
        print('%s: run failed: %s (log %s)' % (name, res.reason(), log),
              file=sys.stderr)
        return None
    g = r.groups()
    return {
        'restore_at': float(g[0]), 'blocks': int(g[1]), 'pages': int(g[2]),
        'ranges': int(g[3]), 'check_us': int(g[5]), 'reserve_us': int(g[6]),
        'regions': int(g[7]), 'mode': g[8], 'nodes': int(g[9]),
        'leaves': int(g[10]), 'min_leaves': int(g[11]),
        'pblocks': int(p.group(1)),
        'preserve_ns': int(p.group(2)), 'bitmap_ns': int(p.group(3)),
        'restored_at_us': int(u.group(1)), 'initcalls_at_us': int(u.group(2)),
        'restore_us': int(u.group(3)), 'share': float(u.group(4)),
    }


def per_gib(us, pages):
    return us * (1 << 18) / pages if pages else 0


def lower_bound(r):
    """One bit per block (a leaf holds one order's keys) plus the tables
    on the paths of the leaves."""
    return r['min_leaves'] + r['nodes'] - r['leaves']


def fmt_restore(r):
    return ('%7d %7d %9.0f %9.0f %8d %6d %6d' %
            (r['check_us'], r['reserve_us'],
             per_gib(r['check_us'], r['pages']),
             per_gib(r['reserve_us'], r['pages']), r['regions'],
             r['nodes'], lower_bound(r)))


def run_all(mem, acc):
    """Every boot of the table; results by (MiB, layout, mode)."""
    runs = []
    layouts = os.environ.get('BENCH_LAYOUTS', ' '.join(LAYOUTS)).split()
    for mb in sizes('BENCH_SIZES', '1024 4096'):
        for layout in layouts:
            runs.append((mb, layout, 'sorted'))
    for mb in sizes('BENCH_PER_BLOCK', '1024 4096'):
        for layout in LAYOUTS:
            if layout != 'scattered':
                runs.append((mb, layout, 'per-block'))
    for mb in sizes('BENCH_SCATTERED_PB', '64 256 1024'):
        runs.append((mb, 'scattered', 'sorted'))
        runs.append((mb, 'scattered', 'per-block'))
    runs.append((0, 'dense', 'sorted'))
    results = {}
    repeat = int(os.environ.get('BENCH_REPEAT', '2'))
    for key in runs:
        if key in results:
            continue
        mb, layout, mode = key
        # TCG time is host time: keep the least disturbed of the repeats
        got = [boot('%s-%dM-%s' % (layout, mb, mode), mb, layout, mode, mem,
                    acc) for _ in range(repeat if mode == 'sorted' else 1)]
        got = [r for r in got if r]
        results[key] = min(got, key=lambda r: r['reserve_us']) if got \
            else None
    return results


def scattered_extrapolation(results, mb):
    """Per-block reserve us at @mb, from the two largest measured sizes."""
    got = sorted((m, r['reserve_us']) for (m, lay, mode), r in results.items()
                 if lay == 'scattered' and mode == 'per-block' and r and
                 m < mb)
    if len(got) < 2:
        return None, None
    (m0, t0), (m1, t1) = got[-2], got[-1]
    # the measured growth exponent, applied once more
    import math
    k = math.log(t1 / max(t0, 1)) / math.log(m1 / m0)
    return t1 * (mb / m1) ** k, k


def print_table(results, mem, acc, seconds):
    print()
    print('make bench: x86_64 guest, %s RAM, 2 vCPUs, %s; times are the '
          "kernels' own (%.0f s)" % (mem, acc.upper(), seconds))
    print()
    print('%6s %-9s %8s %7s %6s | %7s %7s %8s %8s %7s %5s %5s | %9s %7s'
          % ('MiB', 'layout', 'blocks', 'pres ns', 'bit ns', 'chk us',
             'rsv us', 'chk/GiB', 'rsv/GiB', 'regions', 'tree', 'lower',
             'per-block', 'ratio'))
    keys = sorted(k for k in results if k[2] == 'sorted' and k[0])
    for mb, layout, _ in sorted(keys, key=lambda k: (k[0], LAYOUTS.index(k[1]))):
        r = results[(mb, layout, 'sorted')]
        if not r:
            print('%6d %-9s run failed' % (mb, layout))
            continue
        pb = results.get((mb, layout, 'per-block'))
        est = None
        if pb:
            pb_txt, pb_us = '%9d' % pb['reserve_us'], pb['reserve_us']
        elif layout == 'scattered':
            est, k = scattered_extrapolation(results, mb)
            pb_txt = '~%8.0f' % est if est else '%9s' % '-'
            pb_us = est
        else:
            pb_txt, pb_us = '%9s' % '-', None
        ratio = '%6.0fx' % (pb_us / max(r['reserve_us'], 1)) if pb_us else \
            '%7s' % '-'
        print('%6d %-9s %8d %7.0f %6.1f | %s | %s %s%s' %
              (mb, layout, r['pblocks'],
               r['preserve_ns'] / max(r['pblocks'], 1),
               r['bitmap_ns'] / max(r['pblocks'], 1), fmt_restore(r),
               pb_txt, ratio, ' (extrapolated, n^%.1f)' % k if est else ''))
    print()
    print('pres ns / bit ns: preserving, per block (kho_preserve_folio() or '
          'kho_preserve_pages()), and setting one bit per')
    print('  block in a preallocated bitmap: same blocks, same run. chk / '
          "rsv: the next kernel's check and reserve times, also per GiB.")
    print('regions: memblock.reserved after the restore. tree / lower: the '
          'tracker in pages; one bit per block plus the tables on')
    print('  its paths. per-block: reserve us with kho_restore=per-block on '
          'the same layout and size; ratio: per-block / sorted.')


def print_blackout(results):
    print()
    print("Blackout: the next kernel's own cycle counter, from taking the "
          'hand-over (setup_arch(), the first ms of boot) to the')
    print('end of the restore and to the last initcalls, just before user '
          'space; the restore is the check plus the reserve')
    print('%-24s %12s %14s %12s %10s' % ('preserved', 'restored at',
                                        'initcalls at', 'restore', 'share'))
    status = 0
    for layout, mb in (('dense', 0), ('dense', 1024), ('scattered', 1024)):
        r = results.get((mb, layout, 'sorted'))
        what = 'nothing (%s, 0 MiB)' % layout if not mb else \
            '%d MiB %s' % (mb, layout)
        if not r:
            print('%-24s not run or failed' % what)
            status = 1
            continue
        print('%-24s %9.1f ms %11.1f ms %9.1f ms %9.2f%%' %
              (what, r['restored_at_us'] / 1e3, r['initcalls_at_us'] / 1e3,
               r['restore_us'] / 1e3, r['share']))
    return status


def main():
    mem = os.environ.get('BENCH_MEM', '12G')
    acc = accel()
    for cmd in (['harness/tree.sh'], ['harness/build.sh', 'small'],
                ['harness/initramfs.sh', 'small']):
        if subprocess.run(cmd, cwd=TOP).returncode:
            return 1
    snapshot_images()
    start = time.monotonic()
    results = run_all(mem, acc)
    print_table(results, mem, acc, time.monotonic() - start)
    status = print_blackout(results)
    return status | any(r is None for r in results.values())


if __name__ == '__main__':
    sys.exit(main())
