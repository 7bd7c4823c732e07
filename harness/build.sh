#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# build.sh [VARIANT]: build the assembled tree's bzImage out of tree in
# build/obj-VARIANT, always through ccache with the same flags.
# Variants: small (default); nomod, debug, distro (tinyconfig plus
# harness/configs/VARIANT.config); clang (small built with Debian's LLVM,
# LLVM=1); debian (Debian's cloud-amd64 config with
# every module off, plus harness/configs/debian.config); arm64 (cross-built
# with Debian's aarch64-linux-gnu-gcc, the Image).
. "$(dirname "$0")/lib.sh"

variant=${1:-small}
obj=$BUILD/obj-$variant
series_frag=$TREE/tools/testing/selftests/kho/config
# The base configuration: tinyconfig, or Debian's own for 'debian'.
base_config=tinyconfig
arch=x86_64
case "$variant" in
small | nomod | debug | distro | clang | debian) ;;
arm64) arch=arm64 ;;
*) die "unknown build variant '$variant'" ;;
esac
frags=("$TOP/harness/configs/tiny-$arch.config")
if [ -f "$series_frag" ] && [ "$arch" = arm64 ]; then
	# The series' fragment names x86 options too (the port I/O of the
	# guest's exit, PCI for its devices): an arm64 guest needs neither.
	mkdir -p "$obj"
	grep -vE '^CONFIG_(X86_[A-Z0-9_]+|PCI)=' "$series_frag" > "$obj/kho-series.config"
	frags+=("$obj/kho-series.config")
elif [ -f "$series_frag" ]; then
	frags+=("$series_frag")
fi
# The Live Update Orchestrator's own fragment, from the step adding it on.
luo_frag=$TREE/tools/testing/selftests/liveupdate/config
[ -f "$luo_frag" ] && frags+=("$luo_frag")
case "$variant" in
nomod | debug | distro) frags+=("$TOP/harness/configs/$variant.config") ;;
debian)
	base_config=$(ls /usr/src/linux-config-6.12/config.amd64_none_cloud-amd64.xz 2>/dev/null) ||
		die "no Debian cloud-amd64 config: install linux-config-6.12 (harness/deps.sh)"
	frags=("$TOP/harness/configs/debian.config")
	[ -f "$series_frag" ] && frags+=("$series_frag")
	[ -f "$luo_frag" ] && frags+=("$luo_frag")
	;;
esac

[ -d "$TREE/.git" ] || die "no assembled tree: run 'make tree' first"
mkdir -p "$obj"
ccache -M 8G >/dev/null

cc=gcc
target=bzImage
image=arch/x86/boot/bzImage
xarch=()
if [ "$variant" = clang ]; then
	cc=clang
	xarch=(LLVM=1)
fi
if [ "$arch" = arm64 ]; then
	# Debian's cross compiler; kexec_file on arm64 loads the plain Image.
	cc=aarch64-linux-gnu-gcc
	target=Image
	image=arch/arm64/boot/Image
	xarch=(ARCH=arm64 CROSS_COMPILE=aarch64-linux-gnu-)
fi
kmake_cmd=(make -C "$TREE" O="$obj" "${xarch[@]}" CC="ccache $cc"
	HOSTCC="ccache gcc" LOCALVERSION= -j"$(nproc)")
kmake() {
	"${kmake_cmd[@]}" "$@"
}

# Regenerate .config only when a fragment changed.
cfg_hash=$({
	cat "${frags[@]}"
	[ "$base_config" = tinyconfig ] || xzcat "$base_config"
} | sha256sum | cut -d' ' -f1)
if [ "$(cat "$obj/.kho-config" 2>/dev/null)" != "$cfg_hash" ] || [ ! -f "$obj/.config" ]; then
	info "configuring $variant: ${base_config##*/} + ${frags[*]##*/}"
	if [ "$base_config" = tinyconfig ]; then
		kmake -s tinyconfig >/dev/null
	else
		# Every module off: built in or not at all.
		xzcat "$base_config" |
			sed -E 's/^(CONFIG_[A-Za-z0-9_]+)=m$/# \1 is not set/' > "$obj/.config"
	fi
	"$TREE/scripts/kconfig/merge_config.sh" -m -O "$obj" "$obj/.config" \
		"${frags[@]}" >/dev/null
	kmake -s olddefconfig >/dev/null
	# Every option asked for must have stuck (a later fragment overrides
	# an earlier one, as merge_config.sh does).
	declare -A want=() from=()
	for f in "${frags[@]}"; do
		while IFS= read -r line; do
			case "$line" in
			CONFIG_*=*) sym=${line%%=*} ;;
			"# CONFIG_"*" is not set") line="${line#\# }"; sym=${line%% *} ;;
			*) continue ;;
			esac
			want[$sym]=$line
			from[$sym]=${f##*/}
		done < "$f"
	done
	bad=0
	for sym in "${!want[@]}"; do
		line=${want[$sym]}
		if [[ $line == *" is not set" ]]; then
			grep -q "^$sym=" "$obj/.config" || continue
		else
			grep -qx "$line" "$obj/.config" && continue
		fi
		echo "harness: $variant: '$line' (${from[$sym]}) did not stick" >&2
		bad=1
	done
	[ $bad = 0 ] || die "$variant: kernel configuration is not what was asked"
	echo "$cfg_hash" > "$obj/.kho-config"
fi

# Progress: kbuild's command lines counted against the count of the last
# full build of this variant (or, on a new machine, the shipped estimate).
steps=$obj/.kho-build-steps
save=()
[ -f "$obj/vmlinux" ] || save=(--save-count "$steps")
[ -f "$steps" ] || sed -n "s/^$variant=//p" "$TOP/harness/configs/build-steps" > "$steps"
info "building $variant kernel (ccache; log: $obj/build.log)"
start=$(date +%s)
if ! "$TOP/harness/progress.py" "building $variant" --log "$obj/build.log" \
	--total-file "$steps" "${save[@]}" -- "${kmake_cmd[@]}" "$target"; then
	tail -40 "$obj/build.log" >&2
	die "$variant kernel build failed (log: $obj/build.log)"
fi
# 6.12 has warnings of its own in some configurations (clang 14: frame
# sizes, objtool); the series' code is held to none by harness/static.py.
grep -E "warning:|error:" "$obj/build.log" >&2 || true
info "built $obj/$image in $(( $(date +%s) - start )) s"
