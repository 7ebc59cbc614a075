#!/usr/bin/env bash
# bin/salesdesk.bash-completion under bash-completion: every program's options, the fixed
# values of --report, --labels, --chart, -E and -d, the tools of "salesdesk TOOL", and
# file names for a FILE argument.  The programs' --help is the source, so this also
# asserts that the help text keeps the shape the completion reads.
set -u
export LC_ALL=C
TOP=${TOP:-$(cd "$(dirname "$0")/../.." && pwd)}
BINDIR=${BINDIR:-$TOP/bin}
if [ ! -f /usr/share/bash-completion/bash_completion ]; then
	echo "FAIL completion: bash-completion is not installed (make deps)"
	exit 0
fi
# shellcheck disable=SC1091
. /usr/share/bash-completion/bash_completion
# shellcheck source=../../bin/salesdesk.bash-completion
. "$TOP/bin/salesdesk.bash-completion"
PATH=$BINDIR:$TOP/bin:$PATH

# expect WANT WORD...: the completions of the last WORD, sorted, are WANT
expect() {
	local want=$1 got
	shift
	COMP_WORDS=("$@")
	COMP_CWORD=$((${#COMP_WORDS[@]} - 1))
	COMP_LINE="$*"
	COMP_POINT=${#COMP_LINE}
	COMPREPLY=()
	_salesdesk
	got=$(printf '%s\n' "${COMPREPLY[@]}" | sort | tr '\n' ' ')
	if [ "$got" = "$want " ]; then
		echo "ok completion $*"
	else
		echo "FAIL completion $*: got '$got', want '$want '"
	fi
}

expect "aging balances dunning ledger open-items" receivables --report ''
expect "open-items" receivables --report o
expect "en zh" report --labels ''
expect "bar column line pie" report --chart ''
expect "en zh" salesdesk report --labels ''
expect "GB18030 GBK" order-intake -E G
expect "GB18030 GBK" dispatch-plan --input-encoding G
expect ", ; tab |" freight-audit -d ''
expect "complaints daily dispatch-plan freight-audit merge order-intake receivables report" salesdesk ''
expect "callbacks claims log open stats" salesdesk complaints --report ''
expect "--calendar --categories" salesdesk complaints --ca
expect "--config --date --dry-run --help --version" salesdesk-daily --
expect "--config --date --dry-run --help --version" salesdesk daily --
for p in order-intake dispatch-plan freight-audit receivables complaints; do
	expect "--excel" salesdesk $p --ex
done
expect "--rejects --report" receivables --re
expect "" report --title ''            # free text: nothing to offer
expect "" receivables --as-of ''
cd "$TOP/samples" || exit 1
expect "customers.csv" order-intake -c cust
expect "customers.csv" order-intake cust
