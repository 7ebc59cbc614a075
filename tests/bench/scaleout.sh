#!/bin/sh
# Scale-out side by side (issue 19, goal: two-way at most 0.6x the single run's wall
# time): dispatch-plan on 1,000,000 confirmed lines of 14 days, and the daily job's heavy
# steps (order-intake, then dispatch-plan) on a day of 1,000,000 order lines, each single
# and two-way through GNU parallel (bin/salesdesk-parallel), merge included; the files are
# compared too.  One run each, in one go.  sh tests/bench/scaleout.sh BINDIR
#
# The machine is shared: wall time includes waiting for a core.  So each part and each
# merge is also run on its own, one after the other, for its CPU seconds (user + system),
# and the critical path is computed from them: for each step the slowest part, then the
# step's merge, as two idle cores would run it.  "CPU bound" is all the CPU of the
# two-way run over two cores: no schedule of it on two cores is shorter.
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
# system, its children's too)
wall() {
	/usr/bin/time -f '%e %U %S' -o "$w/t" "$@" >/dev/null 2>"$w/err" || { echo "$1: failed: $(head -2 "$w/err")" >&2; }
	awk '{ print $2 + $3 }' "$w/t" >"$w/cpu"
	awk '{ print $1 }' "$w/t"
}
# cpu CMD...: the CPU seconds of CMD
cpu() { wall "$@" >/dev/null; cat "$w/cpu"; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { r = b / a; printf "%.2fx %s", r, r <= 0.6 ? "(goal met)" : "(goal missed)" }'; }
load() { printf 'load average %s' "$(cut -d' ' -f1 /proc/loadavg)"; }
max() { awk -v a="$1" -v b="$2" 'BEGIN { print (a > b ? a : b) }'; }
# path SINGLE-CPU CRITICAL BOUND: the critical path and the CPU bound against the single
# run's CPU
path() {
	awk -v s="$1" -v c="$2" -v b="$3" 'BEGIN {
		printf "  critical path on two idle cores %.2f s = %.2fx the single run'"'"'s CPU; CPU bound %.2f s = %.2fx\n", c, c / s, b, b / s }'
}

# ---- dispatch-plan, 14 days ----
"$BUILD/tests/gen" -n "$LINES" -o m >/dev/null
"$BINDIR/order-intake" -q -c m/customers.csv -p m/products.csv -o m/confirmed.csv m/orders.csv
one=$(wall sh -c "'$BINDIR/dispatch-plan' -q -R m/rates.csv --loads one.loads --unplanned one.unpl -o one.plan m/confirmed.csv")
cpu1=$(cat cpu)
two=$(wall sh -c "parallel --will-cite -j 2 '$BINDIR/dispatch-plan' -q -R m/rates.csv --shard {}/2 \
	--loads loads.{} --unplanned unpl.{} -o plan.{} m/confirmed.csv ::: 1 2 &&
	for o in plan loads unpl; do r=; [ \$o = unpl ] || r=--renumber
		'$BINDIR/merge' \$r -o two.\$o \$o.1 \$o.2 || exit 1; done")
same=same; for o in plan loads unpl; do cmp -s one.$o two.$o || same=DIFFERENT; done
printf 'dispatch-plan, %s lines of 14 days: single %s s (CPU %s s), two-way %s s (CPU %s s): %s; files %s; %s\n' \
	"$LINES" "$one" "$cpu1" "$two" "$(cat cpu)" "$(ratio "$one" "$two")" "$same" "$(load)"
p1=$(cpu "$BINDIR/dispatch-plan" -q -R m/rates.csv --shard 1/2 --loads loads.1 --unplanned unpl.1 -o plan.1 m/confirmed.csv)
p2=$(cpu "$BINDIR/dispatch-plan" -q -R m/rates.csv --shard 2/2 --loads loads.2 --unplanned unpl.2 -o plan.2 m/confirmed.csv)
mg=$(cpu sh -c "for o in plan loads unpl; do r=; [ \$o = unpl ] || r=--renumber
		'$BINDIR/merge' \$r -o two.\$o \$o.1 \$o.2 || exit 1; done")
for k in 1 2; do printf '  part %s plans %s of the lines\n' $k "$(($(wc -l <plan.$k) - 1))"; done
printf '  CPU: part 1 %s s, part 2 %s s, merge %s s\n' "$p1" "$p2" "$mg"
path "$cpu1" "$(awk -v a="$(max "$p1" "$p2")" -v m="$mg" 'BEGIN { print a + m }')" \
	"$(awk -v a="$p1" -v b="$p2" -v m="$mg" 'BEGIN { print (a + b + m) / 2 }')"
# What every part pays whatever N is: part 1 of 1000 reads and keys the whole input and
# plans next to nothing.  With R that, a perfect two-way cut of the rest and this merge,
# the critical path is R + (single - R) / 2 + merge: the floor of this design.
rd=$(cpu "$BINDIR/dispatch-plan" -q -R m/rates.csv --shard 1/1000 --loads r.loads \
	--unplanned r.unpl -o r.plan m/confirmed.csv)
awk -v r="$rd" -v s="$cpu1" -v m="$mg" 'BEGIN { f = r + (s - r) / 2 + m
	printf "  reading alone (part 1 of 1000) %s s; floor R + (single - R)/2 + merge = %.2f s = %.2fx\n", r, f, f / s }'

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
part="$top/bin/salesdesk-part"
crit=0 all=0
for step in intake plan; do
	a=$(cpu "$part" "$w/conf" "$step" 1 2 par)
	b=$(cpu "$part" "$w/conf" "$step" 2 2 par)
	m=$(cpu "$part" "$w/conf" merge "$step" 2 par)
	printf '  %s CPU: part 1 %s s, part 2 %s s, merge %s s\n' "$step" "$a" "$b" "$m"
	crit=$(awk -v c="$crit" -v x="$(max "$a" "$b")" -v m="$m" 'BEGIN { print c + x + m }')
	all=$(awk -v c="$all" -v a="$a" -v b="$b" -v m="$m" 'BEGIN { print c + (a + b + m) / 2 }')
done
for k in 1 2; do printf '  plan part %s: %s lines\n' $k "$(($(wc -l <par/plan.$k) - 1))"; done
path "$cpu1" "$crit" "$all"
