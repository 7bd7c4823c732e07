#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Rewrite series/ from the commits base..REF of build/linux.

The way to change a patch through the assembled tree: commit, amend,
rebase -i or reorder in build/linux (branch 'series'), then run
'make import' (REF defaults to the branch 'series'). Each commit becomes
series/NNNN-slug/ with its message, the files it adds (copied to their
kernel paths at the top of the repository) and its edits to base files as
upstream.patch. A file the series adds enters whole in the commit that
adds it: later changes to it are folded into that commit (with a note).
"""

import os
import re
import shutil
import subprocess
import sys

TOP = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
TREE = os.path.join(TOP, 'build', 'linux')
SERIES = os.path.join(TOP, 'series')


def git(*args, raw=False):
    out = subprocess.run(['git', '-C', TREE] + list(args), check=True,
                         capture_output=True)
    return out.stdout if raw else out.stdout.decode()


def slug(subject):
    words = re.sub(r'[^a-z0-9]+', '-', subject.lower()).strip('-').split('-')
    out = words[0]
    for w in words[1:]:
        if len(out) + 1 + len(w) > 48:
            break
        out += '-' + w
    return out


def main():
    ref = sys.argv[1] if len(sys.argv) > 1 else 'series'
    commits = git('rev-list', '--reverse', 'base..' + ref).split()
    if not commits:
        sys.exit('import: no commits in base..%s' % ref)

    # Which step adds each new file.
    adds = {}
    for i, c in enumerate(commits):
        for line in git('diff-tree', '--no-commit-id', '-r', '--name-status',
                        '--no-renames', c).splitlines():
            status, path = line.split('\t', 1)
            if status == 'A' and path not in adds:
                adds[path] = i
    new_files = {p for p in adds
                 if subprocess.run(['git', '-C', TREE, 'cat-file', '-e',
                                    'base:' + p],
                                   capture_output=True).returncode != 0}
    final = set(git('ls-tree', '-r', '--name-only', ref).split('\n'))
    new_files &= final

    # Forget the old steps and their files.
    for d in sorted(os.listdir(SERIES)):
        sd = os.path.join(SERIES, d)
        if re.match(r'\d{4}-', d) and os.path.isdir(sd):
            fl = os.path.join(sd, 'files')
            if os.path.exists(fl):
                for f in open(fl).read().split():
                    p = os.path.join(TOP, f)
                    if os.path.exists(p):
                        os.unlink(p)
            shutil.rmtree(sd)

    num = 0
    for i, c in enumerate(commits):
        subject = git('log', '-1', '--format=%s', c).strip()
        mine = sorted(p for p in new_files if adds[p] == i)
        excl = [':(exclude)' + p for p in new_files]
        diff = git('diff', '--no-color', '--full-index', '--binary',
                   '--no-renames', c + '^', c, '--', '.', *excl, raw=True)
        if not mine and not diff:
            print('import: %s: only changes files added earlier; folded '
                  'into those steps' % subject)
            continue
        num += 1
        sd = os.path.join(SERIES, '%04d-%s' % (num, slug(subject)))
        os.makedirs(sd)
        with open(os.path.join(sd, 'message'), 'w') as f:
            f.write(git('log', '-1', '--format=%B', c).rstrip('\n') + '\n')
        if mine:
            with open(os.path.join(sd, 'files'), 'w') as f:
                f.write(''.join(p + '\n' for p in mine))
        for p in mine:
            dst = os.path.join(TOP, p)
            os.makedirs(os.path.dirname(dst), exist_ok=True)
            with open(dst, 'wb') as f:
                f.write(git('show', '%s:%s' % (ref, p), raw=True))
            mode = git('ls-tree', ref, p).split()[0]
            os.chmod(dst, 0o755 if mode == '100755' else 0o644)
        touched = git('diff-tree', '--no-commit-id', '-r', '--name-only',
                      '--no-renames', c).split('\n')
        folded = [p for p in touched if p in new_files and adds[p] != i]
        if folded:
            print('import: %s: changes to %s folded into the step adding them'
                  % (subject, ', '.join(folded)))
        if diff:
            with open(os.path.join(sd, 'upstream.patch'), 'wb') as f:
                f.write(diff)
        print('import: %s' % os.path.basename(sd))


if __name__ == '__main__':
    main()
