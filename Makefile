# SPDX-License-Identifier: GPL-2.0
# Entry point of the KHO for 6.12 project. See README.md.

VARIANT ?= small
T ?=

.PHONY: all demo check tree build initramfs series checkpatch deps clean bench \
	distclean import list fuzz fresh-demo distro series-check

all: check

# Every target that needs a package depends on deps: plain shell, a no-op
# when everything is installed, so the first command works on a bare
# Debian 12 that has only git and make.
deps:
	@harness/deps.sh

tree: deps
	harness/tree.sh

build: tree
	harness/build.sh $(VARIANT)

initramfs: build
	harness/initramfs.sh $(VARIANT)

# Everything: builds what is stale, runs every test (T='glob' picks some).
check: deps
	harness/check.py $(T)

# Debian's own cloud-amd64 config with the series: build, boot, 3-gen chain.
distro: deps
	harness/check.py --group debian

list: deps
	@harness/check.py --list

demo: deps
	harness/demo.py

series: deps
	harness/series.sh --check

# Build every step of the series in order, KEXEC_HANDOVER=y and =n: the
# series is bisectable. 20-50 minutes, so not part of check. FROM=N
# starts at step N (after a fix to it).
series-check: deps
	harness/series-check.sh $(if $(FROM),--from $(FROM))

# Preserve and restore costs per layout, sorted vs per-block restore and
# the blackout (the kernels' own measurements), no assertions; about 20
# minutes under TCG on an idle host, 40 on a shared one. bench/RESULTS.md
# holds the last results.
bench: deps
	harness/bench.py

checkpatch: deps
	harness/checkpatch.sh

# Fuzz the checks of an incoming hand-over (tools/testing/kho).
FUZZ_SECONDS ?= 60
fuzz: deps
	harness/fuzz.sh fuzz $(FUZZ_SECONDS)

# Bring commits made in build/linux (or BRANCH in it) back into series/.
import: deps
	harness/import.py $(BRANCH)

# A bare Debian 12 (debootstrap minbase, then only git and make), a clone of
# this repository in it, and 'make demo' there: must print PASS.
fresh-demo:
	harness/fresh-demo.sh

clean:
	rm -rf build/obj-* build/initramfs-* build/logs build/series build/guest \
		build/kho-test*

distclean:
	rm -rf build
