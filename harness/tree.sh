#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Assemble build/linux: the base commit, then one commit per series step
# (its upstream.patch applied with git apply, no fuzz, then its new files).
# The commits are built in a private index and checked out at the end, so
# files that did not change keep their timestamps and builds stay warm.
# The real files of the repository are only read.
. "$(dirname "$0")/lib.sh"

"$TOP/harness/base.sh"
cd "$TREE"

# --- checks on the series itself ------------------------------------------
declare -A owner=()
for step in $(series_steps); do
	sdir=$TOP/series/$step
	[ -f "$sdir/message" ] || die "step $step: no message file"
	while IFS= read -r f; do
		[ -f "$TOP/$f" ] || die "step $step: listed file '$f' does not exist"
		! is_project_path "$f" || die "step $step: '$f' is not a kernel path"
		[ -z "${owner[$f]:-}" ] ||
			die "'$f' is listed by two steps: ${owner[$f]} and $step"
		if git cat-file -e "base:$f" 2>/dev/null; then
			die "step $step: '$f' exists in the base; edit it in upstream.patch"
		fi
		owner[$f]=$step
	done < <(step_files "$step")
done

# Every kernel file of the repository belongs to exactly one step.
while IFS= read -r f; do
	is_project_path "$f" && continue
	[ -n "${owner[$f]:-}" ] || die "'$f' belongs to no series step (add it to a step's files)"
done < <(git -C "$TOP" ls-files --cached --others --exclude-standard)

# --- cheap re-run ----------------------------------------------------------
series_hash() {
	{
		cat "$TOP/series/base"
		for step in $(series_steps); do
			echo "== $step"
			find "$TOP/series/$step" -type f | sort | xargs cat
			step_files "$step" | while IFS= read -r f; do
				echo "-- $f $(stat -c %a "$TOP/$f")"
				cat "$TOP/$f"
			done
		done
	} | sha256sum | cut -d' ' -f1
}
hash=$(series_hash)
if [ "$(cat .git/kho-series 2>/dev/null)" = "$hash" ] &&
   [ "$(git rev-parse --abbrev-ref HEAD)" = series ] &&
   git diff --quiet HEAD 2>/dev/null; then
	exit 0
fi

# --- build the commits in a private index ----------------------------------
export GIT_INDEX_FILE=$TREE/.git/kho-assemble-index
rm -f "$GIT_INDEX_FILE"
parent=$(git rev-parse base)
git read-tree "$parent"
for step in $(series_steps); do
	sdir=$TOP/series/$step
	if [ -s "$sdir/upstream.patch" ]; then
		if ! out=$(git apply --cached --whitespace=nowarn "$sdir/upstream.patch" 2>&1); then
			echo "$out" >&2
			die "step $step: series/$step/upstream.patch does not apply (see the file named above)"
		fi
	fi
	while IFS= read -r f; do
		mode=100644
		[ -x "$TOP/$f" ] && mode=100755
		blob=$(git hash-object -w "$TOP/$f")
		git update-index --add --cacheinfo "$mode,$blob,$f"
	done < <(step_files "$step")
	tree=$(git write-tree)
	parent=$(git commit-tree "$tree" -p "$parent" -F "$sdir/message")
done
unset GIT_INDEX_FILE

# --- check it out ----------------------------------------------------------
git checkout -q -f -B series "$parent"
git clean -q -fdx -e '.kho-*' >/dev/null 2>&1 || true
echo "$hash" > .git/kho-series
info "tree assembled: $(series_steps | wc -l) steps, $(git rev-parse --short HEAD)"
