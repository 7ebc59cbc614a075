#!/usr/bin/env bash
# Input faults for every filter present in $BINDIR, each with its exact exit status and
# message (SPEC §1):
#  - an input that does not exist, or a directory given as the input: 66 "cannot open";
#  - a file cut off inside a quoted field: 65, "FILE:LINE: malformed CSV: quoted field
#    not closed before the end of the input", LINE being where that field began;
#  - a quote inside an unquoted field: 65 with its line;
#  - a NUL byte in a data row: that row rejected bad_encoding with its line, exit 0.
set -u
TOP=${TOP:-$(cd "$(dirname "$0")/../.." && pwd)}
BINDIR=${BINDIR:-$TOP/bin}
. "$TOP/tests/e2e/data/hardening/tools.sh"
tmp=$(mktemp -d /tmp/salesdesk-faults.XXXXXX)
trap 'rm -rf "$tmp"' EXIT
cd "$tmp" || exit 1

for t in $FILTERS; do
	[ -x "$BINDIR/$t" ] || { echo "ok faults-input $t # skipped: not built yet"; continue; }
	tool_args "$t"
	timeout 60 "$BINDIR/$t" "${ARGS[@]}" no-such.csv >out 2>err
	expect_line "faults-input $t: missing input" $? 66 err \
		"$t: cannot open 'no-such.csv': No such file or directory"
	mkdir -p adir
	timeout 60 "$BINDIR/$t" "${ARGS[@]}" adir >out 2>err
	expect_line "faults-input $t: directory as input" $? 66 err "$t: cannot open 'adir': Is a directory"

	# the first data row of the small input, then a row whose 2nd field opens a quote
	# and the file ends 2 lines later: the error names line 3, where the field began
	head -2 "$INPUT" >cut.csv
	awk -F, 'NR == 2 { $2 = "\"open" ; OFS = ","; print; print "still"; print "inside" }' \
		OFS=, "$INPUT" >>cut.csv
	timeout 60 "$BINDIR/$t" "${ARGS[@]}" -q cut.csv >out 2>err
	expect_line "faults-input $t: truncated inside a quoted field" $? 65 err \
		"$t: cut.csv:3: malformed CSV: quoted field not closed before the end of the input"

	head -1 "$INPUT" >quote.csv
	awk -F, 'NR == 2 { $1 = $1 "x\"y"; print }' OFS=, "$INPUT" >>quote.csv
	timeout 60 "$BINDIR/$t" "${ARGS[@]}" -q quote.csv >out 2>err
	expect_line "faults-input $t: quote inside an unquoted field" $? 65 err \
		"$t: quote.csv:2: malformed CSV: a quote inside an unquoted field, or text after a closing quote (byte $(($(head -1 quote.csv | wc -c) + $(awk -F, 'NR == 2 { print index($0, "\"") }' quote.csv))))"

	head -2 "$INPUT" >nul.csv
	awk 'NR == 2 { printf "%s", $0 }' "$INPUT" | sed 's/,/,\x00/' >>nul.csv
	printf '\n' >>nul.csv
	timeout 60 "$BINDIR/$t" "${ARGS[@]}" --rejects rej.csv nul.csv >out 2>err
	st=$?
	expect_line "faults-input $t: NUL byte" $st 0 err "$t: nul.csv:3: rejected: bad_encoding"
	if [ "$(tail -n +2 rej.csv | awk -F, '{ print $(NF-1) "," $NF }')" != "3,bad_encoding" ]; then
		echo "FAIL faults-input $t: NUL byte: rejects file lacks '3,bad_encoding'"
		sed 's/^/    /' rej.csv | head -5
	else
		echo "ok faults-input $t: NUL byte in the rejects file"
	fi
done
