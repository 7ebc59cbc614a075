#!/bin/sh
# Scale-out side by side (issue 19, goal: two-way at most 0.6x the single run's wall
# time): dispatch-plan on 1,000,000 confirmed lines of 14 days, and the daily job's heavy
# steps (order-intake, then dispatch-plan) on a day of 1,000,000 order lines, each single
# and two-way through GNU parallel (bin/salesdesk-parallel), merge included; the files are
# compared too.  One run each, in one go.  sh tests/bench/scaleout.sh BINDIR
set -u
top=$(cd "$(dirname "$0")/../.." && pwd)
BINDIR=${1:-$top/bin}
BUILD=${BUILD:-$top/build/normal}
LINES=${SCALE_LINES:-1000000}
w=$(mktemp -d)
trap 'rm -rf "$w"' EXIT
cd "$w" || exit 1
command -v parallel >/dev/null || { echo "GNU parallel not installed: skipped"; exit 0; }

# wall CMD...: runs CMD, prints its wall seconds and, in $w/cpu, its CPU seconds (user +
# system, its children's too): on a shared machine the wall time includes waiting for
# a core, and the CPU time says what the parts cost in all
wall() {
	/usr/bin/time -f '%e %U %S' -o "$w/t" "$@" >/dev/null 2>"$w/err" || { echo "$1: failed: $(head -2 "$w/err")" >&2; }
	awk '{ print $2 + $3 }' "$w/t" >"$w/cpu"
	awk '{ print $1 }' "$w/t"
}
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { r = b / a; printf "%.2fx %s", r, r <= 0.6 ? "(goal met)" : "(goal missed)" }'; }
load() { printf 'load average %s' "$(cut -d' ' -f1 /proc/loadavg)"; }

# ---- dispatch-plan, 14 days ----
"$BUILD/tests/gen" -n "$LINES" -o m >/dev/null
"$BINDIR/order-intake" -q -c m/customers.csv -p m/products.csv -o m/confirmed.csv m/orders.csv
one=$(wall sh -c "'$BINDIR/dispatch-plan' -q -R m/rates.csv --loads one.loads --unplanned one.unpl -o one.plan m/confirmed.csv")
cpu1=$(cat cpu)
two=$(wall sh -c "parallel --will-cite -j 2 '$BINDIR/dispatch-plan' -q -R m/rates.csv --shard {}/2 \
	--loads loads.{} --unplanned unpl.{} -o plan.{} m/confirmed.csv ::: 1 2 &&
	for o in plan loads unpl; do '$BINDIR/merge' -o two.\$o \$o.1 \$o.2 || exit 1; done")
same=same; for o in plan loads unpl; do cmp -s one.$o two.$o || same=DIFFERENT; done
printf 'dispatch-plan, %s lines of 14 days: single %s s (CPU %s s), two-way %s s (CPU %s s): %s; files %s; %s\n' \
	"$LINES" "$one" "$cpu1" "$two" "$(cat cpu)" "$(ratio "$one" "$two")" "$same" "$(load)"
for k in 1 2; do printf '  part %s plans %s of the lines\n' $k "$(($(wc -l <plan.$k) - 1))"; done

# ---- the daily job's heavy steps, one day ----
"$BUILD/tests/gen" -n "$LINES" --days 1 -o d >/dev/null
cat >conf <<CONF
BIN=$BINDIR
CUSTOMERS=$w/d/customers.csv
PRODUCTS=$w/d/products.csv
RATES=$w/d/rates.csv
ORDERS=$w/d/orders.csv
CONF
mkdir -p single
one=$(wall sh -c ". ./conf; cd single &&
	'$BINDIR/order-intake' -q -c \$CUSTOMERS -p \$PRODUCTS --rejects rejects.csv \
		--summary summary.csv -o confirmed.csv \$ORDERS &&
	'$BINDIR/dispatch-plan' -q -R \$RATES --loads loads.csv --unplanned unplanned.csv \
		-o plan.csv confirmed.csv")
cpu1=$(cat cpu)
two=$(wall "$top/bin/salesdesk-parallel" conf 2 par)
same=same
for f in confirmed rejects summary plan loads unplanned; do cmp -s single/$f.csv par/$f.csv || same=DIFFERENT; done
printf 'intake + plan, a day of %s lines: single %s s (CPU %s s), two-way %s s (CPU %s s): %s; files %s; %s\n' \
	"$LINES" "$one" "$cpu1" "$two" "$(cat cpu)" "$(ratio "$one" "$two")" "$same" "$(load)"
for k in 1 2; do printf '  plan part %s: %s lines\n' $k "$(($(wc -l <par/plan.$k) - 1))"; done
