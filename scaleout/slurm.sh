#!/bin/sh
# slurm.sh CONF N DIR [SBATCH-OPTION...]: parallel.sh's steps as Slurm array jobs, one
# task per part (sbatch --array=1-N --wait), each step's parts merged here before the
# next (part.sh, salesdesk(7) SCALE-OUT).  The nodes must see CONF, the programs and
# DIR at the same paths; the options (--partition, --time ...) go to sbatch.
set -eu
[ $# -ge 3 ] || { echo "usage: slurm.sh CONF N DIR [SBATCH-OPTION...]" >&2; exit 64; }
conf=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
n=$2 dir=$(mkdir -p "$3" && cd "$3" && pwd)
shift 3
here=$(cd "$(dirname "$0")" && pwd)
# BILLS in CONF: the bills audited against the plan's loads too
# shellcheck disable=SC1090 # the desk's own configuration
steps="intake plan$(. "$conf"; [ -z "${BILLS:-}" ] || echo " audit")"
for step in $steps; do
	sbatch --wait --quiet --array=1-"$n" --job-name="salesdesk-$step" \
		--output="$dir/slurm-$step-%a.log" "$@" \
		--wrap "\"$here/part.sh\" \"$conf\" $step \$SLURM_ARRAY_TASK_ID $n \"$dir\""
	"$here/part.sh" "$conf" merge "$step" "$n" "$dir"
done
