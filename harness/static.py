#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Static checkers over the series' code; each must report nothing.

  harness/static.py sparse     make W=1 C=2 (gcc's extra warnings and
                               sparse) on every object the series adds or
                               changes, x86_64 and arm64, and make W=1
                               with clang (LLVM=1) on the x86_64 ones
  harness/static.py cocci      every script of scripts/coccinelle in report
                               mode on the same C files
  harness/static.py htmldocs   make htmldocs on the directories holding the
                               series' documents

Files the series adds count whole; in files it changes, only the lines it
adds do: the findings 6.12 has of its own are not ours to fix. A finding
left on purpose is listed in KNOWN below with its reason (the README
repeats them). Prints one summary line last, as the tests of check.py want.
"""

import argparse
import os
import re
import shutil
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import run as runner  # noqa: E402

TOP = runner.TOP
BUILD = os.path.join(TOP, 'build')
TREE = os.path.join(BUILD, 'linux')
WORK = os.path.join(BUILD, 'static')

# (file, regular expression on the message): findings we keep, and why.
KNOWN = []

# Objects of changed files that only one architecture builds.
ARM64_ONLY = ('drivers/of/',)
X86_ONLY = ('arch/x86/',)

FINDING = re.compile(r'^(?:\.\./)*([\w./+-]+):(\d+):(?:\d+:)?\s*'
                     r'(warning|error|WARNING|ERROR)\b:?\s*(.*)$')


def git(*args):
    return subprocess.run(['git', '-C', TREE] + list(args), check=True,
                          capture_output=True, text=True).stdout


def series_files():
    """The series' C files: added ones, and changed ones with the numbers
    of the lines the series added to them."""
    added = set(git('diff', '--name-only', '--diff-filter=A', 'base..HEAD',
                    '--', '*.c', '*.h').split())
    changed = {}
    for f in git('diff', '--name-only', '--diff-filter=M', 'base..HEAD',
                 '--', '*.c', '*.h').split():
        lines = set()
        for m in re.finditer(r'^@@ -\S+ \+(\d+)(?:,(\d+))? @@',
                             git('diff', '-U0', 'base..HEAD', '--', f),
                             re.M):
            start, count = int(m.group(1)), int(m.group(2) or 1)
            lines.update(range(start, start + count))
        changed[f] = lines
    kernel = lambda f: not f.startswith('tools/')  # noqa: E731
    return ({f for f in added if kernel(f)},
            {f: v for f, v in changed.items() if kernel(f)})


def ours(path, line, added, changed):
    path = os.path.normpath(path)
    if path.startswith(TREE + '/'):
        path = path[len(TREE) + 1:]
    if path in added:
        return path
    if path in changed and line in changed[path]:
        return path
    return None


def known(path, msg):
    return any(path == f and re.search(rx, msg) for f, rx in KNOWN)


def findings(text, added, changed):
    """Our findings in a checker's output, as 'file:line: message'."""
    out = []
    for raw in text.splitlines():
        m = FINDING.match(raw.strip())
        if not m:
            continue
        path = ours(m.group(1), int(m.group(2)), added, changed)
        if path and not known(path, m.group(4)):
            out.append('%s:%s: %s: %s' % (path, m.group(2), m.group(3),
                                          m.group(4)))
    return sorted(set(out))


def report(name, found, what):
    for f in found:
        print(f)
    if found:
        print('%s: %d finding(s) in the series\' code' % (name, len(found)))
        return 1
    print('%s: clean (%s)' % (name, what))
    return 0


# --- sparse and W=1 ----------------------------------------------------------

# The test kernel each pass of check_sparse() is configured like.
VARIANT = {'x86_64': 'small', 'arm64': 'arm64', 'clang': 'clang'}


def static_obj(arch):
    """A build directory configured like the test kernel of @arch, plus the
    debug option, so that every file of ours is compiled."""
    variant = VARIANT[arch]
    obj = os.path.join(WORK, 'obj-' + arch)
    r = subprocess.run(['harness/build.sh', variant], cwd=TOP)
    if r.returncode:
        sys.exit('static: the %s kernel does not build' % variant)
    os.makedirs(obj, exist_ok=True)
    with open(os.path.join(BUILD, 'obj-' + variant, '.config')) as f:
        config = f.read()
    config = re.sub(r'^# CONFIG_KEXEC_HANDOVER_DEBUG is not set$',
                    'CONFIG_KEXEC_HANDOVER_DEBUG=y', config, flags=re.M)
    path = os.path.join(obj, '.config')
    if not os.path.exists(path) or open(path).read() != config:
        with open(path, 'w') as f:
            f.write(config)
    return obj


def kmake(arch, obj, *args):
    cmd = ['make', '-C', TREE, 'O=' + obj, 'LOCALVERSION=',
           '-j%d' % os.cpu_count()]
    if arch == 'arm64':
        cmd += ['ARCH=arm64', 'CROSS_COMPILE=aarch64-linux-gnu-',
                'CC=ccache aarch64-linux-gnu-gcc']
    elif arch == 'clang':
        cmd += ['LLVM=1', 'CC=ccache clang']
    else:
        cmd += ['CC=ccache gcc']
    return subprocess.run(cmd + ['HOSTCC=ccache gcc'] + list(args),
                          capture_output=True, text=True)


def objects(arch, files):
    """Objects of @files that the @arch test kernel builds."""
    ref = os.path.join(BUILD, 'obj-' + VARIANT[arch])
    objs = []
    for f in sorted(files):
        if not f.endswith('.c'):
            continue
        skip = X86_ONLY if arch == 'arm64' else ARM64_ONLY
        if f.startswith(skip) or f.startswith('arch/x86/boot/'):
            continue
        o = f[:-2] + '.o'
        if os.path.exists(os.path.join(ref, o)) or \
                f.startswith('kernel/liveupdate/'):
            objs.append(o)
    return objs


def check_sparse():
    added, changed = series_files()
    found, built = [], []
    for arch in ('x86_64', 'arm64', 'clang'):
        obj = static_obj(arch)
        r = kmake(arch, obj, '-s', 'olddefconfig')
        objs = objects(arch, added | set(changed))
        # C=2: sparse on each file even if it is up to date; W=1 rebuilds
        # them with the extra warnings (ccache keeps that cheap). Sparse
        # once is enough: not with clang.
        check = ['C=2', 'CHECK=sparse'] if arch != 'clang' else []
        r = kmake(arch, obj, 'W=1', *check, *objs)
        log = os.path.join(obj, 'static.log')
        with open(log, 'w') as f:
            f.write(r.stdout + r.stderr)
        if r.returncode:
            print((r.stdout + r.stderr)[-3000:])
            print('sparse: make W=1 C=2 failed on %s (log: %s)' % (arch, log))
            return 1
        found += findings(r.stdout + r.stderr, added, changed)
        built.append('%d %s objects' % (len(objs), arch))
    return report('sparse and W=1', sorted(set(found)), ', '.join(built))


# --- coccinelle --------------------------------------------------------------

def check_cocci():
    added, changed = series_files()
    files = [f for f in sorted(added | set(changed)) if f.endswith('.c')]
    src = os.path.join(WORK, 'cocci')
    shutil.rmtree(src, ignore_errors=True)
    for f in files:
        os.makedirs(os.path.dirname(os.path.join(src, f)), exist_ok=True)
        shutil.copy(os.path.join(TREE, f), os.path.join(src, f))
    scripts = sorted(
        os.path.join(d, s)
        for d, _, names in os.walk(os.path.join(TREE, 'scripts/coccinelle'))
        for s in names if s.endswith('.cocci'))
    text = ''
    for s in scripts:
        r = subprocess.run(['spatch', '-D', 'report', '--no-show-diff',
                            '--very-quiet', '--cocci-file', s, '--dir', src,
                            '--jobs', str(os.cpu_count()), '--chunksize', '1'],
                           capture_output=True, text=True, cwd=src)
        text += r.stdout
    text = text.replace(src + '/', '')
    return report('coccicheck', findings(text, added, changed),
                  '%d scripts on %d files' % (len(scripts), len(files)))


# --- htmldocs ----------------------------------------------------------------

def sphinx_dir(doc):
    """The smallest directory with an index.rst that holds @doc."""
    d = os.path.dirname(doc)
    while d != 'Documentation' and \
            not os.path.exists(os.path.join(TREE, d, 'index.rst')):
        d = os.path.dirname(d)
    return d[len('Documentation/'):] if d != 'Documentation' else '.'


def check_htmldocs():
    """Our documents, built as the kernel builds them (make htmldocs with
    the kernel's conf.py and extensions), each in the smallest directory
    that has an index: the whole of Documentation/ takes most of an hour
    on two cores.  The toctree lines the series adds to the indexes of
    larger directories are checked by checkpatch and by reading."""
    docs = git('diff', '--name-only', '--diff-filter=A', 'base..HEAD', '--',
               'Documentation/*.rst').split()
    dirs = sorted({sphinx_dir(d) for d in docs})
    out = os.path.join(WORK, 'htmldocs')
    r = subprocess.run(['make', '-C', TREE, 'O=' + out, 'htmldocs',
                        'SPHINXDIRS=' + ' '.join(dirs)],
                       capture_output=True, text=True)
    text = r.stdout + r.stderr
    with open(os.path.join(WORK, 'htmldocs.log'), 'w') as f:
        f.write(text)
    if r.returncode:
        print(text[-3000:])
        print('htmldocs: make htmldocs failed')
        return 1
    # Sphinx names the document (or the C file kernel-doc read): a warning
    # in any file of the series counts, in others only on our lines.
    added, changed = series_files()
    added |= set(docs)
    found = []
    for raw in text.splitlines():
        m = re.match(r'^([\w./+-]+\.(?:rst|c|h)):(\d+)?:?\s*'
                     r'(?:WARNING|ERROR): (.*)$', raw.strip())
        if m:
            path = m.group(1)
            if path.startswith(TREE + '/'):
                path = path[len(TREE) + 1:]
            line = int(m.group(2) or 0)
            if path in added or line in changed.get(path, ()):
                found.append('%s:%s: %s' % (path, line, m.group(3)))
    return report('htmldocs', sorted(set(found)),
                  'Documentation/{%s}: %d documents of the series'
                  % (','.join(dirs), len(docs)))


def main():
    ap = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument('check', choices=['sparse', 'cocci', 'htmldocs'])
    opts = ap.parse_args()
    os.makedirs(WORK, exist_ok=True)
    if subprocess.run(['harness/tree.sh'], cwd=TOP).returncode:
        print('static: the series does not assemble')
        return 1
    return {'sparse': check_sparse, 'cocci': check_cocci,
            'htmldocs': check_htmldocs}[opts.check]()


if __name__ == '__main__':
    sys.exit(main())
