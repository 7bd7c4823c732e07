#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Boot a kernel + kho_guest initramfs in QEMU (TCG) and judge the result.

The guest reports checks as KTAP lines named "genN.check"; the last
generation prints "# kho-guest: done" and exits QEMU: through isa-debug-exit
on x86_64 (the guest's code becomes QEMU's exit status), through PSCI
SYSTEM_OFF on arm64 (QEMU -M virt exits with status 0). A run passes only if
that marker was printed, no check failed, QEMU exited with the guest's
success status, the hard timeout did not fire, and the kernel logged no
warning, BUG, KASAN/UBSAN report or lockdep splat. Every runner (make check,
demo, bench, this script) judges by this one rule.
"""

import argparse
import os
import re
import subprocess
import sys
import time

TOP = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
CHECK_RE = re.compile(r'\b(not ok|ok) (\d+) (gen\d+\.[\w.-]+)(?: # (.*))?')
# The guest's last line before it reboots into the next generation.
KEXEC_RE = re.compile(r'# kho-guest: (?:kexec|kexec -e) to gen\d+')
DONE_RE = re.compile(r'# kho-guest: done (\S+): (\d+) failed')
BANNER_RE = re.compile(r'Linux version \d')
# QEMU's exit status when the guest's last generation succeeded.
SUCCESS_EXIT = {'x86_64': 1, 'arm64': 0}
PANIC_RE = re.compile(r'Kernel panic - not syncing: (.*)')
SPLAT_RE = re.compile(r'(BUG: |WARNING: |Oops: |general protection fault|'
                      r'UBSAN: |KASAN: |kernel BUG at|'
                      r'possible circular locking|INFO: task .* blocked)')


class Result:
    """What one QEMU run did."""

    def __init__(self, success_exit=1):
        self.success_exit = success_exit
        self.checks = []          # (gen, name, ok, why)
        self.done = False
        self.timed_out = False
        self.exit_code = None
        self.panic = None
        self.splats = []
        self.gen_logs = []        # console text per generation
        self.seconds = 0.0
        self.gen_seconds = []     # host seconds from start to each banner
        self.kexec_seconds = []   # host seconds to each kexec announcement

    @property
    def passed(self):
        return (self.done and not self.timed_out and not self.panic and
                not self.splats and self.exit_code == self.success_exit and
                all(ok for _, _, ok, _ in self.checks))

    def reason(self):
        if self.timed_out:
            last = self.checks[-1][1] if self.checks else 'no check'
            return 'guest timed out (last check: %s)' % last
        if self.panic:
            return 'guest kernel panic: %s' % self.panic
        failed = [n for _, n, ok, _ in self.checks if not ok]
        if failed:
            why = [w for _, n, ok, w in self.checks if not ok]
            return 'failed: %s (%s)' % (', '.join(failed), why[0])
        if not self.done:
            return 'guest stopped before the end (exit %s)' % self.exit_code
        if self.exit_code != self.success_exit:
            return 'unexpected QEMU exit status %s' % self.exit_code
        if self.splats:
            return 'kernel reported: %s' % self.splats[0]
        return 'ok'


REG_RE = re.compile(r'^(\t\treg = <)([^>]*)(>;)$', re.M)
ROOT_SIZE_CELLS_RE = re.compile(r'^\t#size-cells = <0x02>;$', re.M)
CHOSEN_RE = re.compile(r'^\tchosen \{$', re.M)


def numa_options(args, cmd):
    """Split memory evenly over args.numa nodes, one CPU set each."""
    if args.numa < 2:
        return
    total = int(args.mem.rstrip('GgMm')) * (1024 if args.mem[-1] in 'Gg' else 1)
    per = total // args.numa
    cmd[cmd.index('-m') + 1] = '%dM' % (per * args.numa)
    for n in range(args.numa):
        cmd += ['-object', 'memory-backend-ram,id=m%d,size=%dM' % (n, per),
                '-numa', 'node,nodeid=%d,memdev=m%d' % (n, n)]


def dts_size_cells_1(dts):
    """Make the root's #size-cells 1 instead of QEMU's 2.

    The devicetree hand-off writes and reads its address/size pairs in the
    root's cells; with QEMU's 2/2 a size read with the address cells looks
    right. Every reg of a root child loses the high size cell (0 there);
    QEMU rewrites the memory node in the cells it finds.
    """
    def reg(m):
        cells = m.group(2).split()
        if len(cells) % 4 or any(int(c, 0) for c in cells[2::4]):
            raise ValueError('reg not in 2/2 cells: ' + m.group(0))
        out = []
        for i in range(0, len(cells), 4):
            out += cells[i:i + 2] + [cells[i + 3]]
        return m.group(1) + ' '.join(out) + m.group(3)
    dts, n = ROOT_SIZE_CELLS_RE.subn('\t#size-cells = <0x01>;', dts)
    if n != 1:
        raise ValueError('no root #size-cells = <2> in the virt devicetree')
    return REG_RE.sub(reg, dts)


def arm64_dtb(args, machine):
    """QEMU's virt devicetree, changed as --dt-size-cells/--dt-chosen ask."""
    dtb = args.log + '.dtb'
    subprocess.run(machine + ['-M', 'virt,dumpdtb=' + dtb], check=True,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    dts = subprocess.run(['dtc', '-q', '-I', 'dtb', '-O', 'dts', dtb],
                         check=True, capture_output=True, text=True).stdout
    if args.dt_size_cells == 1:
        dts = dts_size_cells_1(dts)
    if args.dt_chosen:
        # as a boot loader could leave them: the kernel must cope
        props = ''.join('\n\t\t%s;' % p for p in args.dt_chosen)
        dts, n = CHOSEN_RE.subn(lambda m: m.group(0) + props, dts)
        if n != 1:
            raise ValueError('no /chosen in the virt devicetree')
    subprocess.run(['dtc', '-q', '-I', 'dts', '-O', 'dtb', '-o', dtb],
                   input=dts, check=True, text=True)
    return dtb


def qemu_command_arm64(args):
    # -cpu max with pointer authentication in QEMU's cheap implementation
    # defined algorithm: the architected one is most of TCG's time.
    machine = ['qemu-system-aarch64', '-cpu', 'max,pauth-impdef=on',
               '-accel', 'tcg', '-m', args.mem, '-smp', str(args.smp),
               '-nographic', '-display', 'none', '-monitor', 'none']
    numa_options(args, machine)
    cmd = machine + ['-M', 'virt', '-no-reboot',
                     '-kernel', args.kernel, '-initrd', args.initrd,
                     '-serial', 'file:' + args.log]
    if args.dt_size_cells != 2 or args.dt_chosen:
        cmd += ['-dtb', arm64_dtb(args, machine)]
    append = ['console=ttyAMA0', 'panic=-1', 'oops=panic',
              'kho_scenario=' + args.scenario, 'kho_gen=1',
              'kho_gens=%d' % args.gens]
    append += args.append
    cmd += ['-append', ' '.join(append)]
    return cmd


def qemu_command(args):
    if args.arch == 'arm64':
        return qemu_command_arm64(args)
    cmd = ['qemu-system-x86_64', '-accel', args.accel, '-nographic',
           '-no-reboot',
           '-bios', '/usr/share/qemu/qboot.rom',
           '-m', args.mem, '-smp', str(args.smp),
           '-kernel', args.kernel, '-initrd', args.initrd,
           '-device', 'isa-debug-exit,iobase=0xf4,iosize=0x04',
           '-serial', 'file:' + args.log, '-monitor', 'none',
           '-display', 'none']
    numa_options(args, cmd)
    # no_timer_check: under TCG on a loaded host the IO-APIC timer check
    # can miss its ticks and panic ('IO-APIC + timer doesn't work!').
    append = ['console=ttyS0,115200', 'panic=-1', 'oops=panic',
              'no_timer_check',
              'kho_scenario=' + args.scenario, 'kho_gen=1',
              'kho_gens=%d' % args.gens]
    append += args.append
    cmd += ['-append', ' '.join(append)]
    return cmd


def parse(log, res):
    gen = -1
    for line in log.splitlines():
        if BANNER_RE.search(line):
            gen += 1
            res.gen_logs.append('')
        if gen >= 0:
            res.gen_logs[gen] += line + '\n'
        m = CHECK_RE.search(line)
        if m:
            name = m.group(3)
            res.checks.append((int(name[3:name.index('.')]), name,
                               m.group(1) == 'ok', m.group(4) or ''))
        if DONE_RE.search(line):
            res.done = True
        m = PANIC_RE.search(line)
        if m and not res.panic:
            res.panic = m.group(1).strip()
        if SPLAT_RE.search(line):
            res.splats.append(line.strip())


def run(args):
    res = Result(SUCCESS_EXIT[args.arch])
    if os.path.exists(args.log):
        os.unlink(args.log)
    cmd = qemu_command(args)
    start = time.monotonic()
    with open(args.log + '.cmd', 'w') as f:
        f.write(' '.join(cmd) + '\n')
    proc = subprocess.Popen(cmd, stdin=subprocess.DEVNULL,
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    seen = 0
    while True:
        try:
            proc.wait(timeout=0.2)
            break
        except subprocess.TimeoutExpired:
            pass
        # Time each generation as its banner appears on the console.
        try:
            with open(args.log, errors='replace') as f:
                text = f.read()
            n = len(BANNER_RE.findall(text))
            while seen < n:
                res.gen_seconds.append(time.monotonic() - start)
                seen += 1
            while len(res.kexec_seconds) < len(KEXEC_RE.findall(text)):
                res.kexec_seconds.append(time.monotonic() - start)
        except FileNotFoundError:
            pass
        if time.monotonic() - start > args.timeout:
            res.timed_out = True
            proc.kill()
            proc.wait()
            break
    res.seconds = time.monotonic() - start
    res.exit_code = None if res.timed_out else proc.returncode
    err = proc.stderr.read().decode(errors='replace').strip()
    if err and not res.timed_out and proc.returncode not in (0, 1):
        res.panic = res.panic or ('qemu: ' + err.splitlines()[-1])
    try:
        with open(args.log, errors='replace') as f:
            parse(f.read(), res)
    except FileNotFoundError:
        pass
    return res


def arg_parser():
    p = argparse.ArgumentParser(description=__doc__)
    p.add_argument('--kernel', required=True)
    p.add_argument('--initrd', required=True)
    p.add_argument('--scenario', default='kexec')
    p.add_argument('--gens', type=int, default=2)
    p.add_argument('--mem', default='1G')
    p.add_argument('--smp', type=int, default=2)
    p.add_argument('--numa', type=int, default=1, help='NUMA nodes')
    p.add_argument('--arch', choices=sorted(SUCCESS_EXIT), default='x86_64',
                   help='the guest architecture (default x86_64)')
    p.add_argument('--dt-size-cells', type=int, choices=[1, 2], default=2,
                   help="arm64: the devicetree root's #size-cells (QEMU's "
                        'is 2)')
    p.add_argument('--dt-chosen', action='append', default=[],
                   help="arm64: a property for the devicetree's /chosen, in "
                        "dts syntax, e.g. 'linux,kho-fdt = <0 0x60000000 0 "
                        "0x1000>' (repeatable)")
    p.add_argument('--accel', choices=['tcg', 'kvm'], default='tcg',
                   help='x86 only; make bench uses kvm when it can')
    p.add_argument('--timeout', type=float, default=120)
    p.add_argument('--log', default=os.path.join(TOP, 'build', 'qemu.log'))
    p.add_argument('--append', action='append', default=[],
                   help='extra kernel parameter (repeatable)')
    return p


def main():
    args = arg_parser().parse_args()
    res = run(args)
    for gen, name, ok, why in res.checks:
        print('%s %s%s' % ('ok    ' if ok else 'NOT OK', name,
                           ' # ' + why if why else ''))
    print('%s: %s in %.1f s (log: %s)' % ('PASS' if res.passed else 'FAIL',
                                          res.reason(), res.seconds, args.log))
    return 0 if res.passed else 1


if __name__ == '__main__':
    sys.exit(main())
