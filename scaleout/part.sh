#!/bin/sh
# part.sh CONF STEP K N DIR: part K of N of a step, as any engine runs it
# part.sh CONF merge STEP N DIR: the parts' files put together (salesdesk(7), SCALE-OUT)
#
# STEP is intake (order-intake), plan (dispatch-plan, on intake's merged output) or audit
# (freight-audit of BILLS against the plan's merged loads and LOADS, earlier days').  CONF
# is a shell file setting BIN (the programs' folder), CUSTOMERS, PRODUCTS, RATES, ORDERS
# (the order files, a day's or a month's) and, which may be empty, BALANCES, CANCEL (a
# cancellations file), EARLIER (DATE=FILE, one earlier day's output), BILLS (carrier
# bills, a list of files), LOADS (earlier days' load lists, a list: their bills are
# audited too) and USED (load lists whose shipment ids the plan skips, a list); every
# path in it and DIR must be the same on every host that runs a part (a shared file
# system).
# The files in DIR: intake.K rejects.K summary.K plan.K loads.K unplanned.K audit.K
# audit-rejects.K carriers.K unbilled.K, merged into confirmed.csv rejects.csv
# summary.csv plan.csv loads.csv unplanned.csv audit.csv audit-rejects.csv carriers.csv
# unbilled.csv.
set -eu
[ $# -ge 5 ] || { echo "usage: part.sh CONF STEP K N DIR | CONF merge STEP N DIR" >&2; exit 64; }
conf=$1 step=$2
# shellcheck disable=SC1090 # the desk's own configuration
. "$conf"
run() { p=$1; shift; "$BIN/$p" "$@"; }

if [ "$step" = merge ]; then
	step=$3 n=$4 dir=$5
	# put NAME OUT [OPTION]: DIR/NAME.1 ... DIR/NAME.N merged into DIR/OUT
	put() {
		name=$1 out=$2
		shift 2
		k=$n
		while [ "$k" -ge 1 ]; do set -- "$@" "$dir/$name.$k"; k=$((k - 1)); done
		run merge -o "$dir/$out" "$@"
	}
	case $step in
	intake)
		put intake confirmed.csv
		put rejects rejects.csv
		put summary summary.csv --sum 2 ;;
	plan)
		put plan plan.csv
		put loads loads.csv
		put unplanned unplanned.csv ;;
	audit)
		put audit audit.csv
		put audit-rejects audit-rejects.csv
		put carriers carriers.csv --sum 1
		put unbilled unbilled.csv ;;
	*) echo "part.sh: unknown step '$step' (allowed: intake plan audit)" >&2; exit 64 ;;
	esac
	exit 0
fi

k=$3 n=$4 dir=$5
case $step in
intake)
	# shellcheck disable=SC2086 # ORDERS is a list of files
	run order-intake -q -c "$CUSTOMERS" -p "$PRODUCTS" ${BALANCES:+-b "$BALANCES"} \
		${CANCEL:+--cancel "$CANCEL"} ${EARLIER:+--earlier "$EARLIER"} \
		--shard "$k/$n" --rejects "$dir/rejects.$k" --summary "$dir/summary.$k" \
		-o "$dir/intake.$k" $ORDERS ;;
plan)
	# in DIR: an unplanned row names its file as given, confirmed.csv as a single run does
	used=""
	for f in ${USED:-}; do used="$used --used $f"; done
	cd "$dir"
	# shellcheck disable=SC2086 # a list of files
	run dispatch-plan -q -R "$RATES" $used --shard "$k/$n" --loads "loads.$k" \
		--unplanned "unplanned.$k" -o "plan.$k" confirmed.csv ;;
audit)
	plans=""
	for f in ${LOADS:-}; do plans="$plans --plan $f"; done
	# shellcheck disable=SC2086 # lists of files
	run freight-audit -q -R "$RATES" $plans --plan "$dir/loads.csv" --shard "$k/$n" \
		--rejects "$dir/audit-rejects.$k" --summary "$dir/carriers.$k" \
		--unbilled "$dir/unbilled.$k" -o "$dir/audit.$k" $BILLS ;;
*) echo "part.sh: unknown step '$step' (allowed: intake plan audit)" >&2; exit 64 ;;
esac
