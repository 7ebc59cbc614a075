#!/usr/bin/env bash
# Outputs replace the earlier files only when a run ends well (salesdesk(7), "Inputs and
# outputs"), for every program present in $BINDIR:
#  - a run that fails after its outputs were opened (a malformed record at the end of the
#    input: 65) leaves every output file byte-identical and no temporary file;
#  - a write error on one output (--rejects /dev/full: 74) leaves the -o file as it was;
#  - SIGTERM and SIGHUP half way (the input a FIFO held open) remove the temporaries
#    (SIGINT too, but a background job of a script starts with it ignored);
#  - a --strict run that rejected rows (65) still replaces its outputs;
#  - a reader of standard output that goes away (| head -1: a quiet 0) stops the run
#    early: its rejects file is not whole and stays as it was;
#  - a new output gets 0666 & ~umask, a replaced one keeps its mode, and a symbolic link
#    keeps pointing at the file, which is replaced;
#  - -o /dev/stdout onto a regular file writes that open file, in place.
set -u
TOP=${TOP:-$(cd "$(dirname "$0")/../.." && pwd)}
BINDIR=${BINDIR:-$TOP/bin}
. "$TOP/tests/e2e/data/hardening/tools.sh"
tmp=$(mktemp -d /tmp/salesdesk-atomic.XXXXXX)
trap 'rm -rf "$tmp"' EXIT

ok() { echo "ok outputs-atomic $1"; }
fail() { echo "FAIL outputs-atomic $1"; sed 's/^/    /' "$tmp/err" | head -5; }
# old FILE...: each file holds "old FILE"; same FILE...: each still does, and the folder
# holds no temporary file
old() { local f; for f in "$@"; do echo "old $f" >"$f"; done; }
same() {
	local f
	for f in "$@"; do [ "$(cat "$f")" = "old $f" ] || return 1; done
	[ -z "$(find . -name '.*.*.*' -type f)" ]
}
# the output options of each program, one file each
outs() {
	case $1 in
	order-intake) OUTS=(-o out.csv --rejects rej.csv --summary sum.csv) ;;
	dispatch-plan) OUTS=(-o out.csv --unplanned rej.csv --loads sum.csv) ;;
	freight-audit) OUTS=(-o out.csv --rejects rej.csv --summary sum.csv --unbilled unb.csv) ;;
	receivables) OUTS=(-o out.csv --rejects rej.csv --payment-rejects sum.csv) ;;
	complaints) OUTS=(-o out.csv --rejects rej.csv) ;;
	esac
}

for t in $FILTERS; do
	[ -x "$BINDIR/$t" ] || { echo "ok outputs-atomic $t # skipped: not built yet"; continue; }
	tool_args "$t"
	outs "$t"
	rm -rf "$tmp/w" && mkdir "$tmp/w" && cd "$tmp/w" || exit 1
	files=(out.csv rej.csv)
	[ "$t" = complaints ] || files+=(sum.csv)
	[ "$t" = freight-audit ] && files+=(unb.csv)

	{ cat "$INPUT"; printf '"unterminated\n'; } >bad.csv
	old "${files[@]}"
	"$BINDIR/$t" "${ARGS[@]}" -q "${OUTS[@]}" bad.csv 2>"$tmp/err"
	st=$?
	if [ $st = 65 ] && same "${files[@]}"; then ok "$t: fatal 65 keeps the old outputs"
	else fail "$t: fatal 65 (exit $st) changed an output or left a temporary: $(ls -A)"; fi

	old out.csv
	"$BINDIR/$t" "${ARGS[@]}" -q -o out.csv --rejects /dev/full "$INPUT" 2>"$tmp/err"
	st=$?
	if [ "$t" != order-intake ]; then
		:       # the only program whose small sample has rows to reject; dispatch-plan has no --rejects
	elif [ $st = 74 ] && same out.csv; then ok "$t: a write error (74) keeps the old -o file"
	else fail "$t: write error (exit $st) changed out.csv: $(cat out.csv | head -2)"; fi

	big_input "$t" $((300000 / $(wc -c <"$INPUT") + 1)) big.csv    # past the 64 KiB buffers
	for sig in TERM HUP; do
		rm -f fifo && mkfifo fifo
		old out.csv
		"$BINDIR/$t" "${ARGS[@]}" -q -o out.csv fifo 2>"$tmp/err" &
		pid=$!
		exec 3>fifo
		cat big.csv >&3         # read whole, then the program waits for more
		seen=
		for i in $(seq 1 400); do
			[ -n "$(find . -name '.out.csv.*')" ] && seen=1 && break
			sleep 0.05
		done
		kill -$sig $pid
		exec 3>&-
		wait $pid 2>/dev/null
		st=$?
		if [ $st -gt 128 ] && [ -n "$seen" ] && same out.csv
		then ok "$t: SIG$sig half way removes the temporary"
		else fail "$t: SIG$sig (exit $st, temporary seen: ${seen:-no}) changed out.csv or left: $(ls -A)"; fi
	done

	rm -f out.csv
	(umask 027 && "$BINDIR/$t" "${ARGS[@]}" -q -o out.csv "$INPUT" 2>"$tmp/err")
	if [ "$(stat -c %a out.csv)" = 640 ]; then ok "$t: a new output gets 0666 & ~umask"
	else fail "$t: a new output under umask 027 is $(stat -c %a out.csv)"; fi
	old out.csv && chmod 604 out.csv && ln -s out.csv link.csv
	"$BINDIR/$t" "${ARGS[@]}" -q -o link.csv "$INPUT" 2>"$tmp/err"
	if [ -L link.csv ] && [ "$(readlink link.csv)" = out.csv ] &&
	   [ "$(stat -c %a out.csv)" = 604 ] && [ "$(head -c 4 out.csv)" != "old " ]; then
		ok "$t: through a link the file is replaced, with its mode"
	else fail "$t: -o link.csv: $(ls -l link.csv out.csv)"; fi

	"$BINDIR/$t" "${ARGS[@]}" -q -o /dev/stdout "$INPUT" >out.csv 2>"$tmp/err"
	"$BINDIR/$t" "${ARGS[@]}" -q "$INPUT" >want.csv 2>"$tmp/err"
	if cmp -s out.csv want.csv && [ -z "$(find . -name '.*.*.*' -type f)" ]; then
		ok "$t: -o /dev/stdout onto a file is written in place"
	else fail "$t: -o /dev/stdout >out.csv: $(head -2 out.csv)"; fi
done

if [ -x "$BINDIR/order-intake" ]; then
	tool_args order-intake
	cd "$tmp/w" && old out.csv rej.csv
	"$BINDIR/order-intake" "${ARGS[@]}" -q --strict -o out.csv --rejects rej.csv "$INPUT" 2>"$tmp/err"
	st=$?
	if [ $st = 65 ] && [ "$(head -c 8 out.csv)" = order_no ] && [ "$(head -c 8 rej.csv)" = order_no ]
	then ok "order-intake: --strict with rejects (65) replaces the outputs"
	else fail "order-intake: --strict (exit $st) kept: $(head -1 out.csv)"; fi
fi

if [ -x "$BINDIR/order-intake" ]; then
	# 2000 copies of the orders, each under other order numbers: 2 MB of confirmed lines
	awk -v n=2000 'NR == 1 { print; next } { row[++k] = $0 }
	  END { for (i = 0; i < n; i++) for (j = 1; j <= k; j++) {
	    r = row[j]; if (r ~ /^SO/) sub(/^[^,]*/, "&-" i, r); print r } }' "$INPUT" >"$tmp/big.csv"
	cd "$tmp/w" && old rej.csv
	"$BINDIR/order-intake" "${ARGS[@]}" -q --rejects rej.csv "$tmp/big.csv" 2>"$tmp/err" | head -1 >/dev/null
	st=${PIPESTATUS[0]}
	if [ "$st" = 0 ] && same rej.csv; then ok "order-intake: | head -1 (quiet 0) keeps the old rejects file"
	else fail "order-intake: | head -1 (exit $st) changed rej.csv: $(head -1 rej.csv)"; fi
fi

# A file that cannot be replaced (chattr +i, which even root cannot write): refused
# before the run (73, "cannot create"), and, made so while the run reads its input, the
# rename at the end fails: 73, the file as it was, no temporary left.  Needs a file
# system with the immutable attribute; otherwise skipped.
if [ -x "$BINDIR/order-intake" ] && command -v chattr >/dev/null; then
	tool_args order-intake
	cd "$tmp/w" && old imm.csv
	if chattr +i imm.csv 2>/dev/null; then
		"$BINDIR/order-intake" "${ARGS[@]}" -q -o imm.csv "$INPUT" 2>"$tmp/err"
		st=$?
		chattr -i imm.csv
		if [ $st = 73 ] && grep -q "cannot create 'imm.csv'" "$tmp/err" && same imm.csv
		then ok "order-intake: an immutable -o file is refused (73) and kept"
		else fail "order-intake: immutable -o file (exit $st)"; fi

		# rename_fails FILE INPUT CMD...: CMD, reading INPUT through a FIFO, writes FILE;
		# once its temporary is open, FILE is made immutable and the input ends, so that
		# the rename at the end fails; st is CMD's status ("no temporary" in the errors
		# when none was seen: the run would have refused FILE at the open instead).
		# INPUT must pass the reader's first 64 KiB, which it reads before the outputs.
		rename_fails() {
			local f=$1 in=$2 pid i
			shift 2
			rm -f fifo && mkfifo fifo && old "$f"
			"$@" fifo 2>"$tmp/err" &
			pid=$!
			exec 3>fifo
			cat "$in" >&3
			for i in $(seq 1 400); do
				[ -n "$(find . -name ".$f.*")" ] && break
				sleep 0.05
			done
			[ -n "$(find . -name ".$f.*")" ] || echo "no temporary" >>"$tmp/err"
			chattr +i "$f"
			exec 3>&-
			wait $pid
			st=$?
			chattr -i "$f"
		}
		big_input order-intake $((300000 / $(wc -c <"$INPUT") + 1)) big-oi.csv
		rename_fails imm.csv big-oi.csv "$BINDIR/order-intake" "${ARGS[@]}" -q -o imm.csv
		if [ $st = 73 ] && grep -q "cannot replace 'imm.csv'" "$tmp/err" &&
			! grep -q "no temporary" "$tmp/err" && same imm.csv
		then ok "order-intake: a rename that fails at the end is 73, the file kept, no temporary"
		else fail "order-intake: failed rename (exit $st): $(ls -A)"; fi

		# report --split-by into a folder (report(1)): a workbook there that cannot be
		# replaced is 73 naming it, and is kept, no temporary left
		if [ -x "$BINDIR/report" ]; then
			rm -rf books && mkdir books && (cd books && old C1.xlsx)
			chattr +i books/C1.xlsx
			"$BINDIR/report" -o books --split-by customer_id \
				"$TOP/tests/e2e/report/split-by-customer/dun.csv" 2>"$tmp/err"
			st=$?
			chattr -i books/C1.xlsx
			if [ $st = 73 ] && grep -q "^report: cannot create 'books/C1.xlsx'" "$tmp/err" &&
				(cd books && same C1.xlsx)
			then ok "report: --split-by onto a workbook it cannot replace is 73, the file kept"
			else fail "report: --split-by onto an immutable workbook (exit $st): $(ls -A books)"; fi
		fi

		# report's workbook, made immutable while report reads its input: the rename at
		# the end fails, 73, the earlier workbook kept, no temporary
		if [ -x "$BINDIR/report" ]; then
			{ echo customer_id,amount; yes C1,1.00 | head -20000; } > big-rp.csv
			rename_fails wb.xlsx big-rp.csv "$BINDIR/report" -o wb.xlsx
			if [ $st = 73 ] && grep -q "^report: cannot create 'wb.xlsx'" "$tmp/err" &&
				! grep -q "no temporary" "$tmp/err" && same wb.xlsx
			then ok "report: a workbook's rename that fails at the end is 73, the file kept"
			else fail "report: failed rename (exit $st): $(ls -A)"; fi
		fi
	else
		echo "ok outputs-atomic immutable files # skipped: no chattr +i on this file system"
	fi
fi
