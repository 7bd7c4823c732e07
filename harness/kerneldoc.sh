#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# scripts/kernel-doc -none -Wall over every C file the series adds to the
# kernel proper: it must report nothing.
. "$(dirname "$0")/lib.sh"

"$TOP/harness/tree.sh"
cd "$TREE"
files=$(git diff --name-only --diff-filter=A base..HEAD -- '*.c' '*.h' |
	grep -v '^tools/' || true)
[ -n "$files" ] || die "no C files in the series"
# shellcheck disable=SC2086
out=$(./scripts/kernel-doc -none -Wall $files 2>&1)
if [ -n "$out" ]; then
	echo "$out" | head -40
	die "kernel-doc reports problems"
fi
echo "kernel-doc: $(echo "$files" | wc -l) files clean"
