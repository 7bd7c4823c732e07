#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# checkpatch.pl --strict over every commit of the assembled series.
. "$(dirname "$0")/lib.sh"

"$TOP/harness/tree.sh"
cd "$TREE"
# FILE_PATH_CHANGES: new files are covered by the series' MAINTAINERS entry
# only once it exists; checkpatch cannot see that per patch.
out=$(./scripts/checkpatch.pl --strict --no-signoff --color=never \
	--ignore FILE_PATH_CHANGES -g base..HEAD 2>&1) || true
bad=0
while IFS= read -r line; do
	case "$line" in
	total:*)
		set -- $line
		if [ "$2" != 0 ] || [ "$4" != 0 ] || [ "$6" != 0 ]; then
			bad=1
		fi ;;
	esac
done <<< "$out"
n=$(git rev-list --count base..HEAD)
if [ $bad != 0 ]; then
	echo "$out" | grep -E "^(ERROR|WARNING|CHECK|#|\+|total|Commit)" | head -80
	echo "checkpatch: problems in the series (see above)"
	exit 1
fi
echo "checkpatch --strict: $n patches clean"
