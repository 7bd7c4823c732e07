#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# fresh-demo.sh [TARGET...]: prove that the README's first command works on a
# bare Debian 12. Builds a minimal root (debootstrap --variant=minbase
# bookworm) in build/fresh/root, installs only git and make in it, clones
# this repository's committed HEAD into it and runs 'make demo' there (or
# the TARGETs given, e.g. 'check'). Fails unless the demo prints PASS (and
# 'make check' ends with 'N passed, 0 failed').
#
# The root uses this machine's apt sources. The kernel build shares this
# machine's ccache unless KHO_FRESH_CCACHE=cold, which starts from an empty
# one (what a new machine sees). Mounts live in a private mount namespace,
# so they vanish with it whatever happens.
. "$(dirname "$0")/lib.sh"

targets=("${@:-demo}")
fresh=$BUILD/fresh
root=$fresh/root
log=$fresh/run.log

[ "$(id -u)" = 0 ] || die "fresh-demo needs root (debootstrap, chroot, mounts)"
command -v debootstrap >/dev/null || {
	info "installing debootstrap"
	with_ticker "apt-get install debootstrap" \
		apt-get install -y -q --no-install-recommends debootstrap >/dev/null ||
		die "cannot install debootstrap"
}

# This machine's Debian mirror, as apt knows it.
mirror=$(apt-cache policy | awk '$3 == "bookworm/main" { print $2; exit }')
[ -n "$mirror" ] || die "no bookworm/main source in this machine's apt sources"

if grep -q " $root" /proc/mounts; then
	die "something is still mounted under $root; not removing it"
fi
rm -rf "$fresh"
mkdir -p "$fresh"
start=$SECONDS
info "debootstrap --variant=minbase bookworm into $root"
with_ticker "debootstrap" debootstrap --variant=minbase bookworm "$root" \
	"$mirror" > "$fresh/debootstrap.log" 2>&1 ||
	die "debootstrap failed (see $fresh/debootstrap.log)"
boot_secs=$((SECONDS - start))

# The machine's package sources and the apt settings that reach them.
rm -f "$root"/etc/apt/sources.list
cp /etc/apt/sources.list "$root/etc/apt/" 2>/dev/null || true
for f in /etc/apt/sources.list.d/*.list /etc/apt/sources.list.d/*.sources; do
	[ -f "$f" ] && cp "$f" "$root/etc/apt/sources.list.d/"
done
for f in /etc/apt/apt.conf.d/*; do
	grep -q 'Acquire::' "$f" 2>/dev/null && cp "$f" "$root/etc/apt/apt.conf.d/"
done
cp /etc/resolv.conf "$root/etc/resolv.conf"

ccache_dir=${CCACHE_DIR:-$HOME/.cache/kho-ccache}
share_ccache=1
[ "${KHO_FRESH_CCACHE:-}" = cold ] && share_ccache=0
mkdir -p "$root/root/.cache/kho-ccache" "$root/mnt/repo" "$ccache_dir"

# What a new user types, after 'apt-get install git make'.
cat > "$root/root/first-steps.sh" <<EOF
set -e
export DEBIAN_FRONTEND=noninteractive
step() { echo "fresh-demo: \$*"; }
step "apt-get install git make (nothing else)"
apt-get update -q >/dev/null
apt-get install -y -q --no-install-recommends git make >/dev/null
step "python3 is \$(command -v python3 || echo absent), as on a bare machine"
git clone -q /mnt/repo /root/kho
cd /root/kho
step "cloned \$(git log -1 --format='%h %s')"
for t in ${targets[*]}; do
	step "make \$t"
	start=\$(date +%s)
	make \$t
	step "make \$t took \$((\$(date +%s) - start)) s"
done
EOF

info "in the bare root: apt-get install git make, git clone, make ${targets[*]} (log: $log)"
set +e
unshare --mount --propagation private /bin/bash -euc '
	root=$1 top=$2 ccache=$3 share=$4
	mount -t proc proc "$root/proc"
	mount --rbind /sys "$root/sys"
	mount --rbind /dev "$root/dev"
	mount --bind -o ro "$top" "$root/mnt/repo"
	[ "$share" = 1 ] && mount --bind "$ccache" "$root/root/.cache/kho-ccache"
	exec chroot "$root" /usr/bin/env -i HOME=/root LANG=C.UTF-8 \
		TERM="${TERM:-dumb}" \
		PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
		/bin/bash /root/first-steps.sh
' - "$root" "$TOP" "$ccache_dir" "$share_ccache" 2>&1 | tee "$log"
rc=${PIPESTATUS[0]}
set -e
total=$((SECONDS - start))

verdict=PASS
[ "$rc" = 0 ] || verdict=FAIL
case " ${targets[*]} " in
*" demo "*) grep -q '^Result: PASS' "$log" || verdict=FAIL ;;
esac
case " ${targets[*]} " in
*" check "*) grep -qE '^[0-9]+ passed, 0 failed' "$log" || verdict=FAIL ;;
esac
ccache_word=shared
[ "$share_ccache" = 1 ] || ccache_word=cold
echo "fresh-demo: $verdict: bare Debian 12 root in ${boot_secs} s, make ${targets[*]} ($ccache_word ccache), $((total / 60)) min $((total % 60)) s in all"
[ "$verdict" = PASS ]
