#!/bin/sh
# Benchmark (not a test): a 1,000,000-row, 10-column CSV to xlsx, wall time and peak RSS
# for report, for the bare libxlsxwriter floor (report-floor.c) and for Python
# XlsxWriter in constant_memory mode, side by side.  ROWS=N for another size.
#   sh tests/bench/report.sh        (BINDIR: where report is, default bin/)
set -eu
here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../.." && pwd)
BINDIR=${BINDIR:-$top/bin}
ROWS=${ROWS:-1000000}
work=$(mktemp -d "${TMPDIR:-/tmp}/report-bench.XXXXXX")
trap 'rm -rf "$work"' EXIT
cc -O2 -o "$work/floor" "$here/report-floor.c" $(pkg-config --cflags --libs xlsxwriter 2>/dev/null || echo -lxlsxwriter)
/usr/bin/python3 "$here/report-gen.py" "$ROWS" >"$work/in.csv"
printf '%s rows, %s bytes of CSV\n' "$ROWS" "$(wc -c <"$work/in.csv")"
# CPU time (user + system) is shown beside the wall time: on a shared machine it is the
# steadier figure for comparing the three.
printf '%-28s %9s %9s %9s %s\n' "" wall cpu "peak RSS" "workbook"
measure() {         # name command...
	name=$1; shift
	/usr/bin/time -f '%e %U %S %M' -o "$work/time" "$@" >/dev/null
	set -- $(cat "$work/time")
	printf '%-28s %7.1f s %7.1f s %6.1f MB %s bytes\n' "$name" "$1" "$(echo "$2 + $3" | bc -l)" \
	       "$(echo "$4 / 1024" | bc -l)" "$(wc -c <"$work/out.xlsx")"
	rm -f "$work/out.xlsx"
}
measure "report" "$BINDIR/report" -o "$work/out.xlsx" "$work/in.csv"
measure "report --totals --summary" "$BINDIR/report" -o "$work/out.xlsx" --totals \
	--group-by dest_city --sum weight_kg,amount --period ship_date:week "$work/in.csv"
measure "floor (bare libxlsxwriter)" "$work/floor" "$work/in.csv" "$work/out.xlsx"
[ -n "${NO_PYTHON:-}" ] ||
measure "python3 XlsxWriter" /usr/bin/python3 "$here/report-python.py" "$work/in.csv" "$work/out.xlsx"
