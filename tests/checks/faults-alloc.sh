#!/usr/bin/env bash
# Out of memory on purpose: SALESDESK_FAIL_ALLOC=N makes the N-th allocation through the
# core's sd_realloc fail (src/lib/sbuf.c; libcsv's buffers go through it too).  For every
# program present in $BINDIR and N over the run's allocations: never a crash, exit 0 or
# 71 (EX_OSERR); 71 says "out of memory"; 0 gives the same output as a run without the
# fault; no sanitizer report (leaks included, under make test-asan); report leaves no
# workbook at its target path when it fails.
set -u
TOP=${TOP:-$(cd "$(dirname "$0")/../.." && pwd)}
BINDIR=${BINDIR:-$TOP/bin}
. "$TOP/tests/e2e/data/hardening/tools.sh"
tmp=$(mktemp -d /tmp/salesdesk-faults.XXXXXX)
trap 'rm -rf "$tmp"' EXIT
cd "$tmp" || exit 1

# every N up to 120, then sparser; under the sanitizer (10x slower) a sparser sweep
if [ -n "${SANITIZER:-}" ]; then
	counts="$(seq 1 20) $(seq 26 6 120) 200 500"
else
	counts="$(seq 1 120) $(seq 125 5 300) 400 500 1000"
fi

for t in ${FAULT_TOOLS:-$FILTERS report}; do
	[ -x "$BINDIR/$t" ] || { echo "ok faults-alloc $t # skipped: not built yet"; continue; }
	tool_args "$t"
	if [ "$t" = report ]; then
		ARGS=(-o "$tmp/r.xlsx")
	else
		ARGS+=(-q --rejects "$tmp/rej.csv")
	fi
	rm -f r.xlsx
	"$BINDIR/$t" "${ARGS[@]}" "$INPUT" >want 2>err || {
		echo "FAIL faults-alloc $t: the run without a fault fails"
		continue
	}
	bad=0
	for n in $counts; do
		rm -f r.xlsx
		SALESDESK_FAIL_ALLOC=$n timeout 60 "$BINDIR/$t" "${ARGS[@]}" "$INPUT" >out 2>err
		st=$?
		why=
		if grep -qE 'Sanitizer|runtime error' err; then
			why="sanitizer report"
		elif [ $st = 71 ]; then
			grep -q "^$t: .*out of memory" err || why="exit 71 without 'out of memory'"
			[ "$t" = report ] && [ -e r.xlsx ] && why="a workbook left at the target"
		elif [ $st = 0 ]; then
			cmp -s out want || why="exit 0 with other output"
		else
			why="exit $st"
		fi
		if [ -n "$why" ]; then
			echo "FAIL faults-alloc $t: SALESDESK_FAIL_ALLOC=$n: $why"
			head -c 800 err | sed 's/^/    /'
			bad=$((bad + 1))
			[ $bad -ge 3 ] && break
		fi
	done
	[ $bad = 0 ] && echo "ok faults-alloc $t: $(echo $counts | wc -w) allocation failures"
done
