# Sourced by tests/checks/faults-*.sh and hardening-*.sh: for each program, a minimal
# valid invocation on these small files (SPEC §3-§7), so the fault checks can loop over
# whichever programs are present in $BINDIR.
#   tool_args TOOL   sets ARGS (the options) and INPUT (a small valid input file)
H=$TOP/tests/e2e/data/hardening
D=$TOP/tests/e2e/data
FILTERS="order-intake dispatch-plan freight-audit receivables"
tool_args() {
	case $1 in
	order-intake) ARGS=(-c "$D/customers.csv" -p "$D/products.csv"); INPUT=$H/orders.csv ;;
	dispatch-plan) ARGS=(-R "$H/rates.csv"); INPUT=$H/plan-in.csv ;;
	freight-audit) ARGS=(--plan "$H/loads.csv" -R "$H/rates.csv"); INPUT=$H/bills.csv ;;
	receivables) ARGS=(-c "$D/customers.csv" --payments "$H/payments.csv" --as-of 2026-11-30)
		INPUT=$H/plan-in.csv ;;
	report) ARGS=(); INPUT=$H/plan-in.csv ;;
	*) return 1 ;;
	esac
}
# A bigger input for TOOL, N copies of the small one's data rows, to FILE.
big_input() {
	local tool=$1 n=$2 file=$3
	tool_args "$tool"
	awk -v n="$n" 'NR == 1 { print; next } { row[++k] = $0 }
	  END { for (i = 0; i < n; i++) for (j = 1; j <= k; j++) print row[j] }' \
	  "$INPUT" >"$file"
}
