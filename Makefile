# SPDX-License-Identifier: GPL-2.0
# Entry point of the KHO for 6.12 project. See README.md.

VARIANT ?= small
T ?=

.PHONY: all demo check tree build initramfs series checkpatch deps clean bench \
	distclean import list fuzz

all: check

deps:
	harness/deps.sh

tree:
	harness/tree.sh

build: tree
	harness/build.sh $(VARIANT)

initramfs: build
	harness/initramfs.sh $(VARIANT)

# Everything: builds what is stale, runs every test (T='glob' picks some).
check:
	harness/check.py $(T)

list:
	@harness/check.py --list

demo:
	harness/demo.py

series:
	harness/series.sh --check

# Restore-time benchmark (the kernel's own measurement), no assertions.
bench:
	harness/bench.py

checkpatch:
	harness/checkpatch.sh

# Fuzz the checks of an incoming hand-over (tools/testing/kho).
FUZZ_SECONDS ?= 60
fuzz:
	harness/fuzz.sh fuzz $(FUZZ_SECONDS)

# Bring commits made in build/linux (or BRANCH in it) back into series/.
import:
	harness/import.py $(BRANCH)

clean:
	rm -rf build/obj-* build/initramfs-* build/logs build/series build/guest \
		build/kho-test*

distclean:
	rm -rf build
