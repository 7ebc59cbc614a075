#!/usr/bin/env bash
# salesdesk-daily's command line and configuration errors: each gives its status, one
# line on stderr naming what is wrong, nothing on stdout, and no dated folder.  Also:
# the script is POSIX sh (dash -n, and shellcheck -s sh when installed), and the usage
# text is the man page's SYNOPSIS.
set -u
TOP=${TOP:-$(cd "$(dirname "$0")/../.." && pwd)}
job=$TOP/bin/salesdesk-daily
tmp=$(mktemp -d /tmp/salesdesk-cronopt.XXXXXX)
trap 'rm -rf "$tmp"' EXIT

# expect NAME STATUS PATTERN CMD...: status, stderr matching PATTERN, empty stdout
expect() {
	local name=$1 want=$2 pat=$3 st
	shift 3
	"$@" >"$tmp/stdout" 2>"$tmp/err"
	st=$?
	if [ "$st" = "$want" ] && grep -q -- "$pat" "$tmp/err" && [ ! -s "$tmp/stdout" ]; then
		echo "ok cron-options $name"
	else
		echo "FAIL cron-options $name: exit $st (want $want)"
		sed 's/^/    /' "$tmp/stdout" "$tmp/err"
	fi
}

# stand-ins for the five programs: these cases fail before any of them runs, and bin/
# may be mid-rebuild while this runs
mkdir -p "$tmp/bin"
for t in order-intake dispatch-plan freight-audit receivables report; do
	printf '#!/bin/sh\necho "%s: stand-in" >&2; exit 70\n' "$t" >"$tmp/bin/$t"
	chmod +x "$tmp/bin/$t"
done
cat >"$tmp/good.conf" <<EOF
BINDIR=$tmp/bin
CUSTOMERS=$TOP/samples/customers.csv
PRODUCTS=$TOP/samples/products.csv
RATES=$TOP/samples/rates.csv
PAYMENTS=$TOP/samples/payments.csv
ORDERS_DIR=$tmp/orders
OUTPUT_ROOT=$tmp/daily
EOF
printf 'CUSTOMERS=x\nif then\n' >"$tmp/syntax.conf"
grep -v '^RATES=' "$tmp/good.conf" >"$tmp/norates.conf"
{ cat "$tmp/good.conf"; echo 'MAX_ATTACH_SIZE=10G'; } >"$tmp/size.conf"
{ cat "$tmp/good.conf"; echo 'EXCEL_CSV=1'; } >"$tmp/excel.conf"

expect unknown-option 64 "unknown option '--frobnicate'" "$job" --frobnicate
expect date-form 64 "'12/01/2026' is not a date (allowed" "$job" --config "$tmp/good.conf" --date 12/01/2026
expect date-calendar 64 "'2026-02-29' is not a calendar date" "$job" --config "$tmp/good.conf" --date 2026-02-29
expect date-missing-arg 64 "usage:" "$job" --date
expect extra-argument 64 "unexpected argument 'today'" "$job" today
expect date-twice 64 "option '--date' given twice" "$job" --config "$tmp/good.conf" \
	--date 2026-12-01 -d 2026-12-02
expect config-twice 64 "option '--config' given twice" "$job" -c "$tmp/good.conf" \
	--config="$tmp/good.conf"
expect no-config 78 "cannot read the configuration '$tmp/none.conf'" "$job" --config "$tmp/none.conf" --dry-run
expect config-syntax 78 "is not valid sh" "$job" --config "$tmp/syntax.conf" --dry-run
expect config-required-key 78 "RATES is not set" "$job" --config "$tmp/norates.conf" --dry-run
expect config-mail-to 78 "MAIL_TO is not set (or use --dry-run)" "$job" --config "$tmp/good.conf"
expect config-size 78 "MAX_ATTACH_SIZE '10G' is not a size" "$job" --config "$tmp/size.conf" --dry-run
expect config-excel-csv 78 "EXCEL_CSV '1' is not yes or no" "$job" --config "$tmp/excel.conf" --dry-run
# a failing step (the stand-in order-intake exits 70): its status and first message
mkdir -p "$tmp/orders"
touch "$tmp/orders/day.csv"
expect step-fails 70 "step intake failed (exit 70): order-intake: stand-in" \
	"$job" --config "$tmp/good.conf" --date 2026年12月1日 --dry-run
# a bare file name: dash's "." would look it up in PATH (regression)
expect config-bare-name 70 "step intake failed (exit 70): order-intake: stand-in" \
	sh -c 'cd "$1" && exec "$2" --config good.conf --date 20261201 --dry-run' sh "$tmp" "$job"
if [ ! -e "$tmp/daily/2026-12-01" ] && [ -d "$tmp/daily/2026-12-01.failed/log" ] && [ ! -e "$tmp/daily/2026-12-01.tmp" ]; then
	echo "ok cron-options failed run kept as DATE.failed, no DATE folder"
else
	echo "FAIL cron-options failed run folders: $(ls "$tmp/daily" | tr '\n' ' ')"
fi

# a signal during a step: the step's program is ended too, the day is kept as DATE.failed
printf '#!/bin/sh\necho $$ >"%s/intake.pid"\nexec sleep 30\n' "$tmp" >"$tmp/bin/order-intake"
"$job" --config "$tmp/good.conf" --date 2026-12-02 --dry-run >"$tmp/stdout" 2>"$tmp/err" &
jobpid=$!
for _ in $(seq 50); do [ -s "$tmp/intake.pid" ] && break; sleep 0.1; done
kill -TERM "$jobpid"
wait "$jobpid"
st=$?
sleep 0.2
if [ $st = 75 ] && grep -q "step intake (interrupted) failed" "$tmp/err" && [ -s "$tmp/intake.pid" ] &&
	! kill -0 "$(cat "$tmp/intake.pid")" 2>/dev/null && [ -d "$tmp/daily/2026-12-02.failed" ]; then
	echo "ok cron-options a signal ends the step's program, exit 75"
else
	echo "FAIL cron-options signal (exit $st)"; sed 's/^/    /' "$tmp/err"
	[ -s "$tmp/intake.pid" ] && kill "$(cat "$tmp/intake.pid")" 2>/dev/null
fi

"$job" --help >"$tmp/stdout" 2>"$tmp/err"
if [ $? = 0 ] && [ ! -s "$tmp/err" ] && grep -q '^usage: salesdesk-daily \[--config FILE\] \[--date YYYY-MM-DD\] \[--dry-run\]$' "$tmp/stdout" &&
	mandoc -Tascii "$TOP/man/salesdesk-daily.1" 2>/dev/null | col -b | grep -q 'salesdesk-daily \[--config FILE\] \[--date YYYY-MM-DD\] \[--dry-run\]'; then
	echo "ok cron-options help matches the man page's SYNOPSIS"
else
	echo "FAIL cron-options help"
fi
"$job" --version >"$tmp/stdout" 2>&1
if [ $? = 0 ] && grep -q '^salesdesk-daily [0-9]' "$tmp/stdout"; then
	echo "ok cron-options version"
else
	echo "FAIL cron-options version"
fi

if dash -n "$job" 2>"$tmp/err" && dash -n "$TOP/samples/demo.sh" 2>>"$tmp/err"; then
	echo "ok cron-options dash -n"
else
	echo "FAIL cron-options dash -n: $(cat "$tmp/err")"
fi
if command -v shellcheck >/dev/null 2>&1; then
	if shellcheck -s sh -S warning "$job" "$TOP/samples/demo.sh" >"$tmp/stdout" 2>&1; then
		echo "ok cron-options shellcheck"
	else
		echo "FAIL cron-options shellcheck"; sed 's/^/    /' "$tmp/stdout"
	fi
fi
