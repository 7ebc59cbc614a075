# Sourced by tests/checks/faults-*.sh and hardening-*.sh: for each program, a minimal
# valid invocation on these small files (SPEC §3-§7), so the fault checks can loop over
# whichever programs are present in $BINDIR.
#   tool_args TOOL   sets ARGS (the options) and INPUT (a small valid input file)
#   expect NAME STATUS WANT_STATUS STDERR_FILE PATTERN       one ok or FAIL line
#   expect_line NAME STATUS WANT_STATUS STDERR_FILE LINE     the same, LINE matched whole
H=$TOP/tests/e2e/data/hardening
D=$TOP/tests/e2e/data
FILTERS="order-intake dispatch-plan freight-audit receivables complaints"
tool_args() {
	case $1 in
	order-intake) ARGS=(-c "$D/customers.csv" -p "$D/products.csv"); INPUT=$H/orders.csv ;;
	dispatch-plan) ARGS=(-R "$H/rates.csv"); INPUT=$H/plan-in.csv ;;
	freight-audit) ARGS=(--plan "$H/loads.csv" -R "$H/rates.csv"); INPUT=$H/bills.csv ;;
	receivables) ARGS=(-c "$D/customers.csv" --payments "$H/payments.csv" --as-of 2026-11-30)
		INPUT=$H/plan-in.csv ;;
	complaints) ARGS=(-c "$D/customers.csv" --categories "$D/complaints/categories.csv"
		--calendar "$D/complaints/calendar.csv" --orders "$D/complaints/plan.csv"
		--loads "$D/complaints/loads.csv" --as-of 2026-11-30)
		INPUT=$H/complaints.csv ;;
	report) ARGS=(); INPUT=$H/plan-in.csv ;;
	*) return 1 ;;
	esac
}
# Every output file TOOL can write besides standard output, named inside DIR: sets OUTS
# (the options) and FILES (the paths).  report's is the workbook.
tool_outputs() {
	local d=$2
	case $1 in
	order-intake) OUTS=(--rejects "$d/rejects.csv" --summary "$d/summary.csv") ;;
	dispatch-plan) OUTS=(--loads "$d/loads.csv" --unplanned "$d/unplanned.csv") ;;
	freight-audit) OUTS=(--rejects "$d/rejects.csv" --summary "$d/summary.csv"
		--unbilled "$d/unbilled.csv") ;;
	receivables) OUTS=(--rejects "$d/rejects.csv" --payment-rejects "$d/payment-rejects.csv") ;;
	complaints) OUTS=(--rejects "$d/rejects.csv") ;;
	report) OUTS=(-o "$d/r.xlsx") ;;
	*) return 1 ;;
	esac
	FILES=()
	local i
	for ((i = 1; i < ${#OUTS[@]}; i += 2)); do FILES+=("${OUTS[i]}"); done
}
# A bigger input for TOOL, N copies of the small one's data rows, to FILE.
big_input() {
	local tool=$1 n=$2 file=$3
	tool_args "$tool"
	awk -v n="$n" 'NR == 1 { print; next } { row[++k] = $0 }
	  END { for (i = 0; i < n; i++) for (j = 1; j <= k; j++) print row[j] }' \
	  "$INPUT" >"$file"
}

# Prints "ok NAME", or "FAIL NAME: ..." with the head of stderr: the exit status must be
# WANT_STATUS and the command after WHY must succeed (it looks at stderr).
check_exit() {     # NAME STATUS WANT_STATUS STDERR_FILE WHY CMD...
	local name=$1 st=$2 want=$3 err=$4 why=$5
	shift 5
	if [ "$st" != "$want" ]; then
		echo "FAIL $name: exit $st, want $want"
		sed 's/^/    /' "$err" | head -5
	elif ! "$@"; then
		echo "FAIL $name: $why"
		sed 's/^/    /' "$err" | head -5
	else
		echo "ok $name"
	fi
}
expect() {
	check_exit "$1" "$2" "$3" "$4" "stderr lacks '$5'" grep -q -- "$5" "$4"
}
expect_line() {
	check_exit "$1" "$2" "$3" "$4" "stderr lacks the line: $5" grep -qxF -- "$5" "$4"
}
