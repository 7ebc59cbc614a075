#!/bin/sh
# parallel.sh CONF N DIR [SSHLOGIN]: the day's (or a month's) order intake, dispatch
# plan and, with BILLS, freight audit in N parts through GNU parallel, each step's parts
# merged before the next; the
# files in DIR are the single run's (part.sh, salesdesk(7) SCALE-OUT).  Without
# SSHLOGIN the parts run on this machine's cores; with it (parallel's --sshlogin, say
# "2/:,4/host1,4/host2") on those hosts too, which must see CONF, the programs and DIR
# at the same paths.
set -eu
[ $# -ge 3 ] || { echo "usage: parallel.sh CONF N DIR [SSHLOGIN]" >&2; exit 64; }
conf=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
n=$2 dir=$(mkdir -p "$3" && cd "$3" && pwd)
here=$(cd "$(dirname "$0")" && pwd)
# BILLS in CONF: the bills audited against the plan's loads too
# shellcheck disable=SC1090 # the desk's own configuration
steps="intake plan$(. "$conf"; [ -z "${BILLS:-}" ] || echo " audit")"
for step in $steps; do
	# --halt: a failed part fails the step at once, as a failed single run would
	parallel --will-cite --halt now,fail=1 -j "$n" ${4:+--sshlogin "$4"} \
		"$here/part.sh" "$conf" "$step" '{}' "$n" "$dir" ::: $(seq "$n")
	"$here/part.sh" "$conf" merge "$step" "$n" "$dir"
done
