#!/usr/bin/env bash
# salesdesk TOOL (salesdesk(1)): runs the named program with its arguments and passes its
# status on; no tool or an unknown one is 64 naming it; --help matches the SYNOPSIS.
set -u
TOP=${TOP:-$(cd "$(dirname "$0")/../.." && pwd)}
sd=$TOP/bin/salesdesk
tmp=$(mktemp -d /tmp/salesdesk-tool.XXXXXX)
trap 'rm -rf "$tmp"' EXIT
# shellcheck source=../e2e/data/hardening/tools.sh
. "$TOP/tests/e2e/data/hardening/tools.sh"
run() {  # run NAME WANT PATTERN CMD...: the status and a line of stderr
	local name=$1 want=$2 pat=$3
	shift 3
	"$@" >"$tmp/out" 2>"$tmp/err"
	expect "salesdesk-tool $name" $? "$want" "$tmp/err" "$pat"
}
run no-tool 64 "^usage: salesdesk TOOL" "$sd"
run unknown-tool 64 "unknown tool 'reprot' (allowed: order-intake" "$sd" reprot -o x.xlsx
run tool-status 64 "^receivables: unknown option '--frobnicate'" "$sd" receivables --frobnicate
run tool-args 66 "cannot open '$tmp/none.csv'" "$sd" report -o "$tmp/x.xlsx" "$tmp/none.csv"
run daily 64 "^salesdesk-daily: unknown option '--frobnicate'" "$sd" daily --frobnicate
for t in order-intake dispatch-plan freight-audit receivables complaints report merge; do
	if "$sd" $t --version 2>&1 | grep -q "^$t (salesdesk) "; then
		echo "ok salesdesk-tool $t --version"
	else
		echo "FAIL salesdesk-tool $t --version"
	fi
done
if "$sd" --help >"$tmp/out" 2>"$tmp/err" && [ ! -s "$tmp/err" ] &&
	grep -q '^usage: salesdesk TOOL \[ARG...\]$' "$tmp/out" &&
	mandoc -Tascii "$TOP/man/salesdesk.1" | col -b | grep -q 'salesdesk TOOL \[ARG ...\]'; then
	echo "ok salesdesk-tool help matches the man page's SYNOPSIS"
else
	echo "FAIL salesdesk-tool help"
fi
