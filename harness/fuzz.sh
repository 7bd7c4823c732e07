#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# fuzz.sh unit | fuzz [SECONDS]: build tools/testing/kho of the assembled
# tree (in build/kho-test) and run the tracker's KUnit suite in user space,
# or fuzz the checks of an incoming hand-over for SECONDS (default 60).
# Any failed case, sanitizer report or fuzzer finding fails.
. "$(dirname "$0")/lib.sh"

what=${1:-}
secs=${2:-60}
case "$what" in
unit | fuzz) ;;
*) die "usage: fuzz.sh unit | fuzz [SECONDS]" ;;
esac
command -v clang >/dev/null || die "clang is missing (harness/deps.sh)"

"$TOP/harness/tree.sh"
out=$BUILD/kho-test/
log=$BUILD/kho-test-$what.log
mkdir -p "$out"
kmake() {
	make -s -C "$TREE/tools/testing/kho" OUTPUT="$out" "$@"
}

if ! kmake -j"$(nproc)" all >"$log" 2>&1; then
	tail -20 "$log"
	die "tools/testing/kho does not build (see $log)"
fi

if [ "$what" = unit ]; then
	if ! kmake unit >"$log" 2>&1; then
		grep -E "not ok|FAILED|ERROR|BUG|runtime error" "$log" | head -20
		die "the tracker's KUnit suite failed in user space (see $log)"
	fi
	grep -E "^ok|^not ok|^#" "$log"
	cases=$(grep -c "^    ok " "$log")
	ms=$(sed -n 's/^# .* failed cases, \(.*\) ms$/\1/p' "$log")
	echo "tracker in user space: $cases cases passed in $ms ms (ASan, UBSan)"
	exit 0
fi

# The generated seeds in the repository must be what kho_seed writes.
gen=$BUILD/kho-test/gen
rm -rf "$gen"
mkdir -p "$gen"
"$out"kho_seed gen "$gen"
for f in "$gen"/*.hex "$TREE"/tools/testing/kho/corpus/gen-*.hex; do
	cmp -s "$gen/${f##*/}" "$TREE/tools/testing/kho/corpus/${f##*/}" ||
		die "corpus/${f##*/} is stale: make -C tools/testing/kho seeds"
done

if ! kmake fuzz-run FUZZ_SECONDS="$secs" >"$log" 2>&1; then
	grep -E -A12 "^kho_fuzz:|^kho_sim:|ERROR:|runtime error|deadly signal" \
		"$log" | head -40
	for crash in "$out"crash-* "$out"leak-* "$out"timeout-*; do
		[ -f "$crash" ] || continue
		echo "reproducer (add it to tools/testing/kho/corpus/ as .hex):"
		"$out"kho_seed hex "$crash" | head -20
	done
	die "fuzzing kho_check_handover() found a problem (see $log)"
fi
runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log")
rate=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log")
cov=$(sed -n 's/^#[0-9]*[[:space:]]*DONE[[:space:]]*cov: \([0-9]*\).*/\1/p' "$log")
echo "fuzzed kho_check_handover() for $secs s: $runs inputs ($rate/s), $cov edges covered, no finding"
