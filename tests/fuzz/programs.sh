# Sourced by tests/fuzz/run and tests/checks/hardening-program-replay.sh: how each whole
# program is fuzzed (AFL++, one input file a run) and replayed, with the fixed masters of
# tests/fuzz/masters/.
#   prog_args PROG DIR   sets ARGS: the options before the input file, outputs in DIR
#                        (DIR/out.csv, and DIR/rej.csv for the rows that are not output)
# PROGRAMS lists the programs; prog_args fails for any other name.
PROGRAMS="report dispatch-plan freight-audit receivables"
prog_args() {
	local m
	m=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/masters
	case $1 in
	report) ARGS=(-q -o "$2/out.xlsx" --title fuzz --totals --group-by city --sum weight_kg,amount
		--period ship_date:week --chart column --highlight status=exception --labels zh) ;;
	dispatch-plan) ARGS=(-q -R "$m/rates.csv" -o "$2/out.csv" --loads "$2/loads.csv"
		--unplanned "$2/rej.csv") ;;
	freight-audit) ARGS=(-q --plan "$m/loads.csv" -R "$m/rates.csv" --accessorials
		"$m/accessorials.csv" -o "$2/out.csv" --rejects "$2/rej.csv" --unbilled "$2/unbilled.csv"
		--summary "$2/summary.csv") ;;
	receivables) ARGS=(-q -c "$m/customers.csv" --payments "$m/payments.csv" --as-of 2026-11-30
		--late-fee-rate 0.0005 --grace 3 -o "$2/out.csv" --rejects "$2/rej.csv"
		--payment-rejects "$2/payrej.csv") ;;
	*) return 1 ;;
	esac
}
