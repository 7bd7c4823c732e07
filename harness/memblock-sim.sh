#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Build and run the kernel's userspace memblock simulator on the assembled
# tree, with and without NUMA: the series changes memblock.
. "$(dirname "$0")/lib.sh"

"$TOP/harness/tree.sh"
sim=$TREE/tools/testing/memblock
for numa in 0 1; do
	make -s -C "$sim" clean >/dev/null 2>&1 || true
	args=()
	[ $numa = 1 ] && args=(NUMA=1)
	if ! make -s -C "$sim" -j"$(nproc)" "${args[@]}" >"$BUILD/memblock-sim.log" 2>&1; then
		tail -20 "$BUILD/memblock-sim.log"
		die "memblock simulator does not build (NUMA=$numa)"
	fi
	if ! (cd "$sim" && ./main) >"$BUILD/memblock-sim.log" 2>&1; then
		tail -20 "$BUILD/memblock-sim.log"
		die "memblock simulator failed (NUMA=$numa)"
	fi
done
make -s -C "$sim" clean >/dev/null 2>&1 || true
echo "memblock simulator: builds and passes, with and without NUMA"
