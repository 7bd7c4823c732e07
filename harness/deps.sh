#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Install every package the harness needs (Debian 12, as root). Plain shell
# on purpose: every make target runs it first, on a machine that may have
# nothing but git and make (no python3 yet). A no-op when all is there.
. "$(dirname "$0")/lib.sh"

PKGS="gcc make bc flex bison libelf-dev libssl-dev cpio ccache
      qemu-system-x86 qemu-system-data qemu-utils perl codespell python3
      python3-ply python3-git xz-utils git kmod libc6-dev dwarves
      clang llvm libclang-rt-14-dev liburcu-dev kexec-tools openssl
      gcc-aarch64-linux-gnu libc6-dev-arm64-cross qemu-system-arm
      device-tree-compiler lld sparse coccinelle python3-sphinx
      python3-sphinx-rtd-theme python3-yaml"

# The base source and Debian's configs of that same version.
base_pkg="$(base_get package)=$(base_get version)"
config_pkg="linux-config-6.12=$(base_get version)"

missing=""
for p in $PKGS; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed" ||
		missing="$missing $p"
done
want_version=$(base_get version)
have_version=$(dpkg-query -W -f='${Version}' "$(base_get package)" 2>/dev/null || true)
[ "$have_version" = "$want_version" ] || missing="$missing $base_pkg"
have_config=$(dpkg-query -W -f='${Version}' linux-config-6.12 2>/dev/null || true)
[ "$have_config" = "$want_version" ] || missing="$missing $config_pkg"

[ -z "$missing" ] && exit 0

[ "$(id -u)" = 0 ] || die "need root to install:$missing"
info "installing:$missing"
export DEBIAN_FRONTEND=noninteractive
with_ticker "apt-get update" apt-get update -q \
	-o DPkg::Lock::Timeout=600 >/dev/null ||
	die "apt-get update failed"
info "installing $(echo $missing | wc -w) packages and what they need (a minute or two on a bare machine)"
# Wait for another apt (a second make in parallel) instead of failing.
if ! with_ticker "apt-get install" \
	apt-get install -y -q -o DPkg::Lock::Timeout=600 \
	--no-install-recommends $missing >/dev/null; then
	versions=$(apt-cache madison "$(base_get package)")
	if ! grep -qF "$want_version" <<< "$versions"; then
		echo "harness: error: the archive no longer has $base_pkg; it has:" >&2
		echo "$versions" >&2
		exit 1
	fi
	die "apt-get install failed:$missing"
fi
