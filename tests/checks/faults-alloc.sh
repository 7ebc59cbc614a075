#!/usr/bin/env bash
# Out of memory on purpose: SALESDESK_FAIL_ALLOC=N makes the N-th allocation through the
# core's sd_realloc fail (src/lib/sbuf.c; libcsv's buffers go through it too).  For every
# program present in $BINDIR, reading its input from a file and from standard input, and
# N over the run's allocations, salesdesk(7)'s rule for exit 71: either the run exits 71
# with "out of memory" (report leaving no workbook at its target path), or it exits 0
# and every output is the fault-free run's, byte for byte: standard output, standard
# error, each output file (tool_outputs in tools.sh: rejects, summaries, loads,
# unplanned, unbilled, payment rejects) and the workbook's XML parts.  Never a crash,
# never a sanitizer report (leaks included, under make test-asan).
set -u
TOP=${TOP:-$(cd "$(dirname "$0")/../.." && pwd)}
BINDIR=${BINDIR:-$TOP/bin}
. "$TOP/tests/e2e/data/hardening/tools.sh"
tmp=$(mktemp -d /tmp/salesdesk-faults.XXXXXX)
trap 'rm -rf "$tmp"' EXIT
cd "$tmp" && mkdir o || exit 1

# N = 1, 2, 3 ... until 25 runs in a row exit 0 with the fault-free outputs: then N is
# past the run's last allocation, so every allocation of the run fails once, however
# many a change adds.  (A single failure can be harmless: libcsv retries a buffer growth
# with a smaller size.  Never 25 in a row.)
# Under the sanitizer (10x slower) every third N.
step=1
[ -n "${SANITIZER:-}" ] && step=3

# run TOOL MODE: one run in an emptied $tmp/o, its outputs in one file, $tmp/o/all: tail
# names each file (or says it is missing), and the workbook is its XML parts but for
# docProps/ (the creation time).  Few processes a run: the sweep makes about 1300 runs.
run() {
	local t=$1 mode=$2 st
	rm -f o/*
	if [ "$mode" = file ]; then
		timeout 60 "$BINDIR/$t" "${ARGS[@]}" "${OUTS[@]}" "$INPUT" >o/stdout 2>o/stderr
	else
		timeout 60 "$BINDIR/$t" "${ARGS[@]}" "${OUTS[@]}" <"$INPUT" >o/stdout 2>o/stderr
	fi
	st=$?
	if [ "$t" = report ]; then
		{ tail -n +1 o/stdout o/stderr; [ -e o/r.xlsx ] && unzip -p o/r.xlsx -x 'docProps/*'; } \
			>o/all 2>&1
	else
		tail -n +1 o/stdout o/stderr "${FILES[@]}" >o/all 2>&1
	fi
	return $st
}

for t in ${FAULT_TOOLS:-$FILTERS report}; do
	[ -x "$BINDIR/$t" ] || { echo "ok faults-alloc $t # skipped: not built yet"; continue; }
	tool_args "$t"
	tool_outputs "$t" o
	[ "$t" = report ] && ARGS+=(--title 周报 --group-by office --sum amount,qty
		--period ship_date:week --chart column --totals --highlight status=held)
	for mode in file stdin; do
		name="faults-alloc $t ($mode)"
		if ! run "$t" $mode; then
			echo "FAIL $name: the run without a fault fails"
			sed 's/^/    /' o/stderr | head -5
			continue
		fi
		mv o/all want
		bad=0 clean=0 n=0 runs=0
		while [ $clean -lt 25 ] && [ $n -lt 10000 ]; do
			n=$((n + step)) runs=$((runs + 1))
			SALESDESK_FAIL_ALLOC=$n run "$t" $mode
			st=$?
			why=
			if grep -qE 'Sanitizer|runtime error' o/stderr; then
				why="sanitizer report"
			elif [ $st = 71 ]; then
				grep -q "^$t: .*out of memory" o/stderr || why="exit 71 without 'out of memory'"
				[ "$t" = report ] && [ -e o/r.xlsx ] && why="a workbook left at the target"
			elif [ $st = 0 ]; then
				cmp -s o/all want || why="exit 0 with other output: $(diff want o/all |
					grep -m1 '^[<>]' | cut -c1-100)"
				clean=$((clean + 1))
			else
				why="exit $st"
			fi
			if [ -n "$why" ]; then
				echo "FAIL $name: SALESDESK_FAIL_ALLOC=$n: $why"
				head -c 800 o/stderr | sed 's/^/    /'
				bad=$((bad + 1))
				[ $bad -ge 3 ] && break
			fi
			[ $st = 0 ] || clean=0
		done
		[ $bad = 0 ] && echo "ok $name: $runs runs, N up to $n"
	done
done
