#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Import the base kernel source (series/base) as the first commit of
# build/linux, tagged "base". Done once; later calls only check the stamp.
. "$(dirname "$0")/lib.sh"

"$TOP/harness/deps.sh"

tarball=$(base_get tarball)
sha=$(base_get sha256)
stamp="$(base_get version) $sha"

if [ -d "$TREE/.git" ] && [ "$(cat "$TREE/.git/kho-base" 2>/dev/null)" = "$stamp" ]; then
	exit 0
fi

[ -f "$tarball" ] || die "$tarball missing after installing $(base_get package)"
info "checking $tarball"
echo "$sha  $tarball" | sha256sum -c --quiet - ||
	die "$tarball does not match series/base sha256 $sha"

rm -rf "$SRC_CACHE" "$TREE"
mkdir -p "$SRC_CACHE"
info "unpacking $(base_get package) $(base_get version)"
"$TOP/harness/progress.py" "unpacking the base" --total "$(base_get files)" \
	--count-re '.' -- tar -C "$SRC_CACHE" -xvf "$tarball" ||
	die "unpacking $tarball failed"
mv "$SRC_CACHE"/linux-source-* "$TREE"
rmdir "$SRC_CACHE"

cd "$TREE"
git init -q -b series
git config core.autocrlf false
git config gc.auto 0
# The tarball's .gitignore ignores everything: add by force.
info "committing the base ($(base_get files) files)"
"$TOP/harness/progress.py" "committing the base" -- sh -c '
	git add -f -A &&
	git commit -q -m "$1" -m "$2"' - \
	"Debian $(base_get package) $(base_get version)" \
	"Unpacked from $(basename "$tarball"), sha256 $sha." ||
	die "committing the base failed"
git tag -f base >/dev/null
echo "$stamp" > .git/kho-base
info "base imported: $(git rev-parse base)"
