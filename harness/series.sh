#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# series.sh [--check]: export the posting of the series to build/series
# (git format-patch --cover-letter, deterministic). With --check, also
# apply it with git am onto a fresh checkout of the base and require the
# very same tree as the assembled one.
. "$(dirname "$0")/lib.sh"

"$TOP/harness/tree.sh"
out=$BUILD/series
cd "$TREE"
n=$(git rev-list --count base..HEAD)
[ "$n" -gt 0 ] || die "the series is empty"

rm -rf "$out"
git -c core.abbrev=12 format-patch -q --cover-letter --zero-commit \
	--full-index --no-signature --base=base -o "$out" base..HEAD

# The cover letter: subject and text from series/cover-letter, the base
# named exactly, and a fixed date like every patch.
cover=$out/0000-cover-letter.patch
subject=$(head -n1 "$TOP/series/cover-letter")
python3 - "$cover" "$TOP/series/cover-letter" "$subject" <<PY
import sys
path, src, subject = sys.argv[1:]
text = open(path).read()
body = open(src).read().split('\n', 1)[1].strip('\n')
body += '''

Base: Debian $(base_get package) $(base_get version)
  tarball sha256 $(base_get sha256)
  base tree      $(git rev-parse 'base^{tree}')
Series tree:     $(git rev-parse 'HEAD^{tree}')'''
text = text.replace('*** SUBJECT HERE ***', subject)
text = text.replace('*** BLURB HERE ***', body)
lines = [('Date: Thu, 1 Jan 2026 00:00:00 +0000' if l.startswith('Date: ')
          else l) for l in text.split('\n')]
open(path, 'w').write('\n'.join(lines))
PY
info "posting: $out ($n patches + cover letter)"

[ "${1:-}" = --check ] || exit 0

chk=$BUILD/am-check
git worktree remove --force "$chk" >/dev/null 2>&1 || rm -rf "$chk"
git worktree prune
git worktree add -q --no-checkout --detach "$chk" base
# Only the paths the posting touches are checked out: git am needs no more,
# and a full kernel checkout would cost minutes.
paths=$(sed -n 's|^diff --git a/\([^ ]*\) b/.*|\1|p' "$out"/*.patch | sort -u)
# shellcheck disable=SC2086
git -C "$chk" sparse-checkout set --no-cone $paths >/dev/null 2>&1
git -C "$chk" checkout -q --detach base
patches=$(ls "$out"/[0-9][0-9][0-9][0-9]-*.patch | grep -v /0000-cover-letter)
# shellcheck disable=SC2086
(cd "$chk" && git am -q --keep-cr $patches) >/dev/null 2>&1 || true
got=$(git -C "$chk" rev-parse 'HEAD^{tree}')
want=$(git rev-parse 'HEAD^{tree}')
count=$(git -C "$chk" rev-list --count base..HEAD)
git worktree remove --force "$chk"
[ "$got" = "$want" ] && [ "$count" = "$n" ] ||
	die "git am of the posting gives tree $got ($count patches), assembled tree is $want ($n)"
echo "series: $n patches; git am onto the base gives the assembled tree $want"
