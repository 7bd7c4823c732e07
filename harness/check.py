#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""make check: build what is stale, run every test, print one line per test
and end with 'N passed, N failed'.

  harness/check.py               run everything
  harness/check.py 'kho-*' ...   run the tests whose names match (fnmatch)
  harness/check.py --list        list the tests
  harness/check.py --group G     the tests of group G (see tests.py)
  harness/check.py fresh-demo    one test of a group, by its exact name
  harness/check.py -v NAME       also print every guest check and the log path
"""

import argparse
import fnmatch
import json
import os
import subprocess
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import run as runner  # noqa: E402
from progress import Ticker  # noqa: E402
from tests import CI_GROUPS, TESTS  # noqa: E402

TOP = runner.TOP
BUILD = os.path.join(TOP, 'build')
TREE = os.path.join(BUILD, 'linux')
LOGS = os.path.join(BUILD, 'logs')


def sh(cmd, **kw):
    return subprocess.run(cmd, shell=isinstance(cmd, str), **kw)


def prepare_variant(variant, built):
    """Build the variant's kernel and initramfs once per make check."""
    if variant in built:
        return built[variant]
    err = None
    for step in (['harness/build.sh', variant],
                 ['harness/initramfs.sh', variant]):
        r = sh(step, cwd=TOP)
        if r.returncode:
            err = '%s failed' % ' '.join(step)
            break
    built[variant] = err
    return err


# The kernel image QEMU boots, per architecture.
KERNEL_IMAGE = {'x86_64': 'arch/x86/boot/bzImage',
                'arm64': 'arch/arm64/boot/Image'}


def variant_arch(variant):
    return 'arm64' if variant == 'arm64' else 'x86_64'


def scenario_args(t):
    variant = t.get('variant', 'small')
    arch = variant_arch(variant)
    args = runner.arg_parser().parse_args([
        '--kernel', os.path.join(BUILD, 'obj-' + variant,
                                 KERNEL_IMAGE[arch]),
        '--initrd', os.path.join(BUILD, 'initramfs-%s.cpio.gz' % variant),
        '--log', os.path.join(LOGS, t['name'] + '.log'),
        '--arch', arch])
    args.scenario = t['scenario']
    args.gens = t.get('gens', 2)
    args.mem = t.get('mem', '1G')
    args.smp = t.get('smp', 2)
    args.numa = t.get('numa', 1)
    args.timeout = t.get('timeout', 120)
    args.append = list(t.get('append', []))
    args.dt_size_cells = t.get('dt_size_cells', 2)
    args.dt_chosen = list(t.get('dt_chosen', []))
    if not t.get('kunit'):
        args.append.append('kunit.enable=0')
    return args


def run_scenario(t, verbose):
    args = scenario_args(t)
    res = runner.run(args)
    if verbose:
        for _, name, ok, why in res.checks:
            print('    %s %s%s' % ('ok    ' if ok else 'NOT OK', name,
                                   ' # ' + why if why else ''))
        print('    log: %s' % args.log)
    ok, why = res.passed, res.reason()
    for want in t.get('expect_log', []):
        gen, text = want
        logs = res.gen_logs
        if ok and (len(logs) < gen or text not in logs[gen - 1]):
            ok, why = False, 'gen%d log lacks "%s"' % (gen, text)
    if t.get('expect') == 'fail':
        # A negative control passes when the runner reports a failure.
        if ok:
            return False, 'runner reported PASS for a broken guest'
        return True, 'runner reported: %s' % why
    if ok:
        why = '%d checks, %d generations' % (len(res.checks), len(res.gen_logs))
    return ok, why


def run_kunit(t, verbose):
    """Boot once with KUnit enabled and parse the log with kunit.py."""
    args = scenario_args(t)
    res = runner.run(args)
    if not res.gen_logs:
        return False, 'no kernel output: %s' % res.reason()
    gen1 = args.log + '.gen1'
    with open(gen1, 'w') as f:
        f.write(res.gen_logs[0])
    js = args.log + '.json'
    if os.path.exists(js):
        os.unlink(js)
    r = sh([sys.executable, os.path.join(TREE, 'tools/testing/kunit/kunit.py'),
            'parse', '--json=' + js, gen1], capture_output=True, text=True)
    if verbose:
        print(r.stdout)
    try:
        with open(js) as f:
            data = json.load(f)
    except (OSError, ValueError):
        return False, 'kunit.py parse produced no results (exit %d)' % r.returncode
    suites = {}

    def collect(group):
        for sub in group.get('sub_groups', []):
            suites[sub['name']] = sub.get('test_cases', [])
            collect(sub)
    collect(data)
    cases = [c for cs in suites.values() for c in cs]
    want = t.get('suites', [])
    missing = [s for s in want if s not in suites]
    failed = [c['name'] for c in cases if c.get('status') not in
              ('PASS', 'SKIP')]
    passed = [c for c in cases if c.get('status') == 'PASS']
    if missing:
        return False, 'suites did not run: %s' % ', '.join(missing)
    if failed or r.returncode:
        return False, 'failed cases: %s' % ', '.join(failed[:5] or ['?'])
    return True, '%d suites, %d cases passed' % (len(suites), len(passed))


def run_command(t, verbose):
    r = sh(t['command'], cwd=TOP, capture_output=True, text=True)
    out = (r.stderr + r.stdout).strip().splitlines()
    if verbose or r.returncode:
        for line in out[-30:]:
            print('    ' + line)
    last = out[-1] if out else ''
    return r.returncode == 0, last[:200]


def selected(t, names, groups, default):
    """Is test t asked for? By name (a test of a group only by its exact
    name), by its group, or as one of the default set (no group)."""
    group = t.get('group')
    if names:
        if group:
            return t['name'] in names
        return any(fnmatch.fnmatch(t['name'], p) for p in names)
    if group:
        return group in groups
    return default


def print_log_tail(t, lines=40):
    """The end of a failed guest's console: a CI log must tell why."""
    path = os.path.join(LOGS, t['name'] + '.log')
    try:
        with open(path, errors='replace') as f:
            tail = f.read().splitlines()[-lines:]
    except OSError:
        return
    print('    last %d lines of %s:' % (len(tail), os.path.relpath(path, TOP)))
    for line in tail:
        print('    | ' + line)
    sys.stdout.flush()


def main():
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument('names', nargs='*')
    ap.add_argument('--list', action='store_true')
    ap.add_argument('--group', action='append', default=[],
                    help='run only the tests of this group (repeatable)')
    ap.add_argument('-v', '--verbose', action='store_true')
    opts = ap.parse_args()

    # Default: the tests of no group, plus CI_GROUPS in CI; --group only
    # the groups named.
    groups = list(opts.group)
    if not groups and os.environ.get('CI') == 'true':
        groups = CI_GROUPS
    tests = [t for t in TESTS
             if selected(t, opts.names, groups, not opts.group)]
    if opts.list:
        for t in TESTS:
            print('%-28s %s' % (t['name'], t.get('doc', '')))
        return 0
    if not tests:
        print('no test matches %s' % ' '.join(opts.names))
        print('0 passed, 1 failed')
        return 1

    os.makedirs(LOGS, exist_ok=True)
    r = sh(['harness/tree.sh'], cwd=TOP)
    if r.returncode:
        print('FAIL tree: the series does not assemble')
        print('0 passed, 1 failed')
        return 1

    built = {}
    passed = failed = 0
    for n, t in enumerate(tests, 1):
        start = time.monotonic()
        kind = t.get('kind', 'scenario')
        if kind in ('scenario', 'kunit'):
            err = prepare_variant(t.get('variant', 'small'), built)
        else:
            err = None
        with Ticker('test %d/%d %s' % (n, len(tests), t['name'])):
            if err:
                ok, why = False, err
            elif kind == 'kunit':
                ok, why = run_kunit(t, opts.verbose)
            elif kind == 'scenario':
                ok, why = run_scenario(t, opts.verbose)
            else:
                ok, why = run_command(t, opts.verbose)
        secs = time.monotonic() - start
        if ok:
            passed += 1
        else:
            failed += 1
        print('%s %-28s %6.1f s  %s' % ('PASS' if ok else 'FAIL', t['name'],
                                         secs, why), flush=True)
        if not ok and kind in ('scenario', 'kunit'):
            print_log_tail(t)
    print('%d passed, %d failed' % (passed, failed))
    return 1 if failed else 0


if __name__ == '__main__':
    sys.exit(main())
