#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# initramfs.sh [VARIANT]: build the guest program of the assembled tree
# (tools/testing/selftests/kho) statically and pack it as /init, with the
# VARIANT kernel inside as /kho/bzImage (/kho/Image on arm64), using the
# kernel's gen_init_cpio. On x86_64, Debian's kexec-tools (/usr/sbin/kexec)
# and the libraries it links go in too, at their own paths, listed in
# /kho/extra so that the guest program carries them into every next
# generation's initramfs.
. "$(dirname "$0")/lib.sh"

variant=${1:-small}
obj=$BUILD/obj-$variant
src=$TREE/tools/testing/selftests/kho
out=$BUILD/initramfs-$variant.cpio.gz
gdir=$BUILD/guest
cc=gcc
image=arch/x86/boot/bzImage
name=bzImage
if [ "$variant" = arm64 ]; then
	# The same program cross-built; kexec_file on arm64 takes the Image.
	gdir=$BUILD/guest-arm64
	cc=aarch64-linux-gnu-gcc
	image=arch/arm64/boot/Image
	name=Image
fi

[ -x "$obj/usr/gen_init_cpio" ] || die "no $obj/usr/gen_init_cpio: build the $variant kernel first"
mkdir -p "$gdir"

# The guest program is the same for every variant of an architecture.
# The Live Update Orchestrator's scenarios are linked in from ../liveupdate.
luo_src=$TREE/tools/testing/selftests/liveupdate
[ -d "$luo_src" ] || luo_src=
if [ ! -x "$gdir/kho_guest" ] ||
   [ -n "$(find "$src" $luo_src -newer "$gdir/kho_guest" -type f)" ]; then
	make -s -C "$src" OUTPUT="$gdir" CC="$cc" "$gdir/kho_guest" >/dev/null ||
		die "guest program build failed"
fi

# kexec-tools and its shared libraries (what ldd names, links resolved);
# the host's are x86_64 ones, so an arm64 guest gets none.
kexec_bin=/usr/sbin/kexec
[ -x "$kexec_bin" ] || die "no $kexec_bin: install kexec-tools (harness/deps.sh)"
extra=$gdir/extra
kexec_files=()
if [ "$variant" != arm64 ]; then
	kexec_files=("$kexec_bin")
	while read -r lib; do
		kexec_files+=("$lib")
	done < <(ldd "$kexec_bin" | sed -n 's|.*=> \(/[^ ]*\) .*|\1|p; s|^[[:space:]]*\(/[^ ]*\) .*|\1|p')
fi
{
	for f in "${kexec_files[@]}"; do
		d=${f%/*}
		parts=""
		IFS=/ read -ra comps <<< "${d#/}"
		for c in "${comps[@]}"; do
			parts="$parts/$c"
			echo "d $parts"
		done
	done | awk '!seen[$0]++'
	for f in "${kexec_files[@]}"; do
		echo "f $f"
	done
} > "$extra"

cat > "$gdir/list-$variant" <<EOF
dir /dev 0755 0 0
nod /dev/console 0600 0 0 c 5 1
dir /proc 0755 0 0
dir /sys 0755 0 0
dir /tmp 1777 0 0
dir /kho 0755 0 0
file /init $gdir/kho_guest 0755 0 0
file /kho/$name $obj/$image 0644 0 0
file /kho/extra $extra 0644 0 0
EOF
while read -r kind path; do
	case "$kind" in
	d) echo "dir $path 0755 0 0" ;;
	f) echo "file $path $(readlink -f "$path") 0755 0 0" ;;
	esac
done < "$extra" >> "$gdir/list-$variant"
"$obj/usr/gen_init_cpio" "$gdir/list-$variant" | gzip -n -1 > "$out.tmp"
mv "$out.tmp" "$out"
