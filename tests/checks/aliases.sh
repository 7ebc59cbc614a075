#!/usr/bin/env bash
# Every Chinese header alias of salesdesk(7) (the column table in src/lib/header.c, whose
# captions are input names too) is read by at least one case: a removed or misspelt alias
# must fail a case, not fall back silently to a default.  An alias counts when it is a
# cell of the first line of an input file of an end-to-end case (GB18030 files are
# decoded first), or appears in a case's cmd, which may write its input itself, or is a
# unit-table row "header ALIAS CANON" that asserts its canonical name.  Outputs (expout,
# experr, expected files) do not count.
set -u
top=${TOP:-$(cd "$(dirname "$0")/../.." && pwd)}
w=$(mktemp -d /tmp/salesdesk-alias.XXXXXX)
trap 'rm -rf "$w"' EXIT

# the headers the cases read, one line each, in UTF-8
find "$top/tests/e2e" -type f \( -name '*.csv' -o -name '*.txt' \) -print0 |
while IFS= read -r -d '' f; do
	head -n 1 "$f" >"$w/line"
	if iconv -f UTF-8 -t UTF-8 "$w/line" >/dev/null 2>&1; then
		cat "$w/line"
	else
		iconv -f GB18030 -t UTF-8 "$w/line" 2>/dev/null
	fi
	echo
done >"$w/headers"
find "$top/tests/e2e" -type f -name cmd -exec cat {} + >>"$w/headers"
# full-width parentheses are the same alias (salesdesk(7))
sed 's/（/(/g; s/）/)/g' "$w/headers" >"$w/seen"

n=0
while IFS=' ' read -r canon zh; do
	n=$((n + 1))
	if grep -qF -- "$zh" "$w/seen" ||
		grep -qxF -- "header	$zh	$canon" "$top"/tests/unit/*.txt; then
		echo "ok aliases $zh"
	else
		echo "FAIL aliases $zh is read by no e2e case"
	fi
done < <(grep -o '[CV]("[a-z_0-9]*", "[^"]*"' "$top/src/lib/header.c" |
	sed 's/^[CV]("\([a-z_0-9]*\)", "\(.*\)"$/\1 \2/')
[ "$n" -ge 50 ] || echo "FAIL aliases: only $n aliases found in src/lib/header.c"
