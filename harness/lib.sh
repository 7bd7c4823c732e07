# SPDX-License-Identifier: GPL-2.0
# Common settings of the harness scripts; sourced, never run.

set -euo pipefail

TOP=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
BUILD=${KHO_BUILD:-$TOP/build}
TREE=$BUILD/linux
SRC_CACHE=$BUILD/src

# Debian's tools first: checkpatch wants Debian's codespell and ply.
export PATH=/usr/bin:/usr/sbin:/bin:/sbin:$PATH

# ccache lives outside the clone so that fresh clones (CI) reuse it.
export CCACHE_DIR=${CCACHE_DIR:-$HOME/.cache/kho-ccache}
export CCACHE_BASEDIR=$TOP
export CCACHE_NOHASHDIR=true
export CCACHE_SLOPPINESS=time_macros,include_file_mtime,include_file_ctime

# Fixed identity and dates: the assembled commits and the exported posting
# are reproducible byte for byte.
export GIT_AUTHOR_NAME="KHO 6.12 developers"
export GIT_AUTHOR_EMAIL="kho-6.12@localhost"
export GIT_COMMITTER_NAME=$GIT_AUTHOR_NAME
export GIT_COMMITTER_EMAIL=$GIT_AUTHOR_EMAIL
export GIT_AUTHOR_DATE="2026-01-01T00:00:00+0000"
export GIT_COMMITTER_DATE=$GIT_AUTHOR_DATE
export KBUILD_BUILD_TIMESTAMP="Thu Jan  1 00:00:00 UTC 2026"
export KBUILD_BUILD_USER=kho
export KBUILD_BUILD_HOST=harness

die() { echo "harness: error: $*" >&2; exit 1; }
info() { echo "harness: $*" >&2; }

# base_get KEY: a value of series/base.
base_get() {
	sed -n "s/^$1=//p" "$TOP/series/base"
}

# Files of the repository that are not kernel files of the series.
is_project_path() {
	case "$1" in
	series/* | harness/* | bench/* | build/* | .ci/* | .git/* | Makefile | \
	README.md | .gitignore | .gitattributes) return 0 ;;
	esac
	return 1
}

# The steps of the series, in order.
series_steps() {
	local d
	for d in "$TOP"/series/[0-9][0-9][0-9][0-9]-*/; do
		[ -d "$d" ] && basename "$d"
	done
	return 0
}

# step_files STEP: the new files a step adds, one per line.
step_files() {
	local f=$TOP/series/$1/files
	[ -f "$f" ] || return 0
	sed -e 's/#.*//' -e 's/[[:space:]]*$//' -e '/^$/d' "$f"
}

# with_ticker LABEL COMMAND...: run COMMAND and show that it is working:
# on a terminal a line with the elapsed time rewritten every second, in a
# log a line every 30 seconds. For the steps that run before python3 is
# installed (harness/progress.py does more once it is).
with_ticker() {
	local label=$1 pid rc=0 every=30 start=$SECONDS
	shift
	[ -t 2 ] && every=1
	(
		while sleep "$every"; do
			t=$((SECONDS - start))
			if [ "$every" = 1 ]; then
				printf '\rharness: %s: %d:%02d' "$label" $((t / 60)) $((t % 60)) >&2
			else
				printf 'harness: %s: %d:%02d\n' "$label" $((t / 60)) $((t % 60)) >&2
			fi
		done
	) &
	pid=$!
	"$@" || rc=$?
	kill "$pid" 2>/dev/null
	wait "$pid" 2>/dev/null || true
	[ "$every" = 1 ] && [ $((SECONDS - start)) -ge 1 ] && printf '\r\033[K' >&2
	return $rc
}
