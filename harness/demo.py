#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""make demo: build, boot, kexec, and tell what happened and how long each
step took, on defaults. The guest runs the 'demo' scenario: generation 1
preserves a data set and kexecs, generation 2 restores and verifies it.
Then the Live Update Orchestrator's story ('luo-demo'): a process keeps a
memfd in a session across 'kexec -s -l' + 'kexec -e' and reads it back."""

import os
import re
import subprocess
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import run as runner  # noqa: E402

TOP = runner.TOP
BUILD = os.path.join(TOP, 'build')

# Kernel lines worth showing in the account, per generation.
KERNEL_LINES = re.compile(r'(KHO: .*|Linux version \S+|'
                          r'Memory: \d+K/\d+K available)')


def step(title, cmd):
    """Run one host step; its own progress lines (stderr) show as it goes."""
    print('  %s ...' % title, flush=True)
    start = time.monotonic()
    r = subprocess.run(cmd, cwd=TOP, stdout=subprocess.PIPE, text=True)
    secs = time.monotonic() - start
    if r.returncode:
        sys.stdout.write(r.stdout)
        print('demo: %s failed' % title)
        sys.exit(1)
    print('  %-34s %6.1f s' % (title, secs))
    return secs


def main():
    print('KHO demo: assemble the series, build, boot in QEMU, kexec')
    print('(on a new machine about 9 minutes, most of it the kernel build;')
    print(' a machine that built before: under a minute)')
    print()
    step('assemble tree (base + series)', ['harness/tree.sh'])
    step('build kernel (ccache)', ['harness/build.sh', 'small'])
    step('pack initramfs', ['harness/initramfs.sh', 'small'])

    args = runner.arg_parser().parse_args([
        '--kernel', os.path.join(BUILD, 'obj-small/arch/x86/boot/bzImage'),
        '--initrd', os.path.join(BUILD, 'initramfs-small.cpio.gz'),
        '--scenario', 'demo', '--gens', '2', '--mem', '1G',
        '--log', os.path.join(BUILD, 'demo.log'),
        '--append', 'kunit.enable=0', '--append', 'kho=on'])
    res = runner.run(args)
    print('  %-34s %6.1f s' % ('QEMU: 2 generations (TCG)', res.seconds))
    marks = res.gen_seconds + [res.seconds]
    print()
    for gen, log in enumerate(res.gen_logs, 1):
        took = marks[gen] - marks[gen - 1] if len(marks) > gen else 0
        print('Generation %d (%.1f s from its first console line to the %s):'
              % (gen, took, 'kexec' if gen < len(res.gen_logs) else 'end'))
        for line in log.splitlines():
            m = KERNEL_LINES.search(line)
            if m:
                print('  kernel: %s' % m.group(1)[:110])
            else:
                print_guest_line(line)
        print()
    print('Result: %s (%s); console log: %s' %
          ('PASS' if res.passed else 'FAIL', res.reason(), args.log))
    print()
    luo = luo_demo()
    return 0 if res.passed and luo.passed else 1


def print_guest_line(line):
    """Show a line of the guest program: what it says, or a check."""
    if '# demo: ' in line:
        print('  guest:  %s' % line.split('# demo: ', 1)[1])
        return
    m = runner.CHECK_RE.search(line)
    if m:
        print('  check:  %-6s %s%s' % (m.group(1), m.group(3),
                                       ' # ' + m.group(4) if m.group(4)
                                       else ''))


# Kernel lines of the Live Update Orchestrator worth showing.
LUO_LINES = re.compile(r'(liveupdate: .*|Linux version \S+)')


def luo_demo():
    """A process keeps a memfd across a kexec through /dev/liveupdate."""
    print('Live Update Orchestrator demo: a process keeps a memfd across a '
          'kexec')
    print()
    args = runner.arg_parser().parse_args([
        '--kernel', os.path.join(BUILD, 'obj-small/arch/x86/boot/bzImage'),
        '--initrd', os.path.join(BUILD, 'initramfs-small.cpio.gz'),
        '--scenario', 'luo-demo', '--gens', '2', '--mem', '1G',
        '--log', os.path.join(BUILD, 'demo-luo.log'),
        '--append', 'kunit.enable=0', '--append', 'kho=on',
        '--append', 'liveupdate=on', '--append', 'kho_loader=kexec-tools'])
    res = runner.run(args)
    for gen, log in enumerate(res.gen_logs, 1):
        print('Generation %d:' % gen)
        for line in log.splitlines():
            m = LUO_LINES.search(line)
            if m:
                print('  kernel: %s' % m.group(1)[:110])
            elif 'kho-guest: kexec -e to gen' in line:
                print("  guest:  'kexec -s -l bzImage ...' done, now "
                      "'kexec -e'")
            else:
                print_guest_line(line)
        print()
    if res.kexec_seconds and len(res.gen_seconds) > 1:
        print('The kexec took %.1f s: from "kexec -e" in generation 1 to the '
              'first console line of generation 2 (TCG, polled every 0.2 s)'
              % (res.gen_seconds[1] - res.kexec_seconds[0]))
    print('Result: %s (%s); console log: %s' %
          ('PASS' if res.passed else 'FAIL', res.reason(), args.log))
    return res


if __name__ == '__main__':
    sys.exit(main())
