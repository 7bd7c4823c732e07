#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# series-check.sh [--from N]: build every step of the series in order (or
# from step N on, after a fix to step N), once with
# KEXEC_HANDOVER=y and every test option, once with KEXEC_HANDOVER=n, and
# fail naming the first step that does not build or warns. The small x86_64
# configuration; incremental builds (each step only rebuilds what it
# changed) through the shared ccache. Takes 20-50 minutes: not part of
# 'make check'; 'make series-check' runs it.
. "$(dirname "$0")/lib.sh"

from=1
if [ "${1:-}" = --from ]; then
	from=${2:?"--from needs a step number"}
fi

"$TOP/harness/tree.sh"
work=$BUILD/series-check
src=$work/src
mkdir -p "$work"

# A checkout of its own: the assembled tree stays as it is, and git only
# rewrites the files a step changes, so make rebuilds only what depends on
# them. A local clone hard-links the objects: cheap, and it survives
# build/linux being assembled again.
if [ ! -d "$src/.git" ]; then
	info "series-check: cloning the assembled tree into $src"
	git clone -q --no-checkout "$TREE" "$src"
fi
git -C "$src" fetch -q -f "$TREE" +HEAD:refs/kho/series \
	+refs/tags/base:refs/tags/base
mapfile -t steps < <(git -C "$src" rev-list --reverse base..refs/kho/series)
[ ${#steps[@]} -gt 0 ] || die "the series is empty"

# The options asked for: the small guest's, plus every KHO and test option
# (y), or KHO off (n). Kept as a request that olddefconfig filters again
# at each step, so options of later steps are not lost before they exist.
frag_y=$work/kho-y.config
frag_n=$work/kho-n.config
{
	cat "$TOP/tools/testing/selftests/kho/config"
	echo CONFIG_KEXEC_HANDOVER_DEBUG=y
} > "$frag_y"
{
	grep -v '^CONFIG_KEXEC_HANDOVER=' "$frag_y"
	echo '# CONFIG_KEXEC_HANDOVER is not set'
} > "$frag_n"

kmake() {
	local obj=$1
	shift
	make -C "$src" O="$obj" CC="ccache gcc" HOSTCC="ccache gcc" \
		LOCALVERSION= -j"$(nproc)" "$@"
}

configure() {
	local cfg=$1 obj=$work/obj-$1
	mkdir -p "$obj"
	if [ ! -f "$obj/request.config" ]; then
		kmake "$obj" -s tinyconfig >/dev/null
		"$src/scripts/kconfig/merge_config.sh" -m -O "$obj" "$obj/.config" \
			"$TOP/harness/configs/tiny-x86_64.config" \
			"$work/kho-$cfg.config" >/dev/null
		cp "$obj/.config" "$obj/request.config"
	fi
	cp "$obj/request.config" "$obj/.config"
	kmake "$obj" -s olddefconfig >/dev/null
}

# build_step N CFG: build step N; on failure, name it and show why.
build_step() {
	local n=$1 cfg=$2 obj=$work/obj-$2 subject start
	subject=$(git -C "$src" log -1 --format=%s "${steps[n - 1]}")
	start=$(date +%s)
	configure "$cfg"
	if ! kmake "$obj" bzImage > "$obj/build.log" 2>&1; then
		grep -E "error|Error" "$obj/build.log" | head -20 >&2
		die "step $n/${#steps[@]} ($subject) does not build with KEXEC_HANDOVER=$cfg (log: $obj/build.log)"
	fi
	if grep -q "warning:" "$obj/build.log"; then
		grep "warning:" "$obj/build.log" >&2
		die "step $n/${#steps[@]} ($subject) warns with KEXEC_HANDOVER=$cfg (log: $obj/build.log)"
	fi
	info "step $n/${#steps[@]} KEXEC_HANDOVER=$cfg: builds ($(( $(date +%s) - start )) s): $subject"
}

start=$(date +%s)
for n in $(seq "$from" ${#steps[@]}); do
	git -C "$src" checkout -q -f --detach "${steps[n - 1]}"
	build_step "$n" y
	build_step "$n" n
done

# The last step must really have built KHO and its tests.
for opt in KEXEC_HANDOVER TEST_KEXEC_HANDOVER KEXEC_HANDOVER_DEBUG \
	KEXEC_HANDOVER_RADIX_KUNIT_TEST; do
	grep -qx "CONFIG_$opt=y" "$work/obj-y/.config" ||
		die "series-check: CONFIG_$opt did not stick in the KEXEC_HANDOVER=y build"
done
! grep -q "^CONFIG_KEXEC_HANDOVER=y" "$work/obj-n/.config" ||
	die "series-check: KEXEC_HANDOVER is still on in the KEXEC_HANDOVER=n build"
info "series-check: all ${#steps[@]} steps build with KEXEC_HANDOVER=y and =n ($(( $(date +%s) - start )) s)"
