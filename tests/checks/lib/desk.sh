# What the checks that run salesdesk-daily over days of data share (cron-mail.sh,
# desk-over-time.sh, desk-order-book.sh, desk-periods.sh), sourced by each:
#     . "$(dirname "$0")/lib/desk.sh"
# tests/run runs tests/checks/*.sh only, so this file is never run as a check.
#
#   desk_setup NAME TMPNAME [gen|COMMAND|py:MODULE]...
#       TOP, BINDIR, BUILD, PY, job and name; a "FAIL NAME: missing: ..." line and exit 0
#       when one of the five programs, build/.../tests/gen (gen), a COMMAND or a Python
#       module is missing; then tmp, a fresh folder /tmp/TMPNAME.XXXXXX removed on exit
#       (KEEP=1 keeps it to look at), and the programs copied to $tmp/bin, since others
#       may rebuild bin/ while the check runs.
#   desk_sink
#       a local SMTP sink: aiosmtpd on a free port of 127.0.0.1 writing each message to
#       the Maildir $tmp/maildir, and $tmp/msmtprc for msmtp to send to it; killed on
#       exit.
#   desk_day_folders GEN IN
#       GEN's generated orders as the offices send them: for each working day (not a
#       Sunday) IN/DAY/orders/OFFICE.csv with that day's orders (a Sunday's come with
#       Monday's; no office: direct.csv), and IN/DAY/payments.csv, the receipts to date.
#   desk_run DAY [ARG...]
#       the job for DAY with $tmp/salesdesk.conf: silent and 0, else a line
#       "job DAY: ..." in the file $fails.
set -u
TOP=${TOP:-$(cd "$(dirname "${BASH_SOURCE[0]}")/../../.." && pwd)}
BINDIR=${BINDIR:-$TOP/bin}
BUILD=${BUILD:-$TOP/build/normal}
PY=/usr/bin/python3
job=$TOP/bin/salesdesk-daily
desk_programs="order-intake dispatch-plan freight-audit receivables report"

tmp='' sink=''
desk_cleanup() {
	[ -z "$sink" ] || { kill "$sink" 2>/dev/null && wait "$sink" 2>/dev/null; }
	[ -z "$tmp" ] || [ -n "${KEEP:-}" ] || rm -rf "$tmp"
}

desk_setup() {
	local t missing=''
	name=$1
	local tmpname=$2
	shift 2
	for t in $desk_programs; do
		[ -x "$BINDIR/$t" ] || missing="$missing $BINDIR/$t"
	done
	[ -x "$job" ] || missing="$missing $job"
	for t; do
		case $t in
		gen) [ -x "$BUILD/tests/gen" ] || missing="$missing $BUILD/tests/gen" ;;
		py:*) "$PY" -c "import ${t#py:}" 2>/dev/null || missing="$missing python3 ${t#py:}" ;;
		*) command -v "$t" >/dev/null 2>&1 || missing="$missing $t" ;;
		esac
	done
	if [ -n "$missing" ]; then
		echo "FAIL $name: missing:$missing (make deps, make all)"
		exit 0
	fi
	tmp=$(mktemp -d "/tmp/$tmpname.XXXXXX")
	trap desk_cleanup EXIT
	mkdir -p "$tmp/bin"
	for t in $desk_programs; do
		cp "$BINDIR/$t" "$tmp/bin/$t"
	done
}

desk_sink() {
	local port _
	port=$("$PY" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
	"$PY" -m aiosmtpd -n -l "127.0.0.1:$port" -c aiosmtpd.handlers.Mailbox "$tmp/maildir" \
		>"$tmp/sink.log" 2>&1 &
	sink=$!
	for _ in $(seq 50); do
		"$PY" -c "import socket; socket.create_connection(('127.0.0.1', $port), 1).close()" \
			2>/dev/null && break
		sleep 0.1
	done
	printf 'defaults\nauth off\ntls off\naccount default\nhost 127.0.0.1\nport %s\nfrom desk@example.com\n' \
		"$port" >"$tmp/msmtprc"
	chmod 600 "$tmp/msmtprc"
}

desk_day_folders() {
	local gen=$1 in=$2 d dow monday
	for d in $(awk -F, 'NR > 1 { print $3 }' "$gen/orders.csv" | sort -u); do
		dow=$(date -u -d "$d" +%u)
		[ "$dow" = 7 ] && continue
		mkdir -p "$in/$d/orders"
		monday=0
		[ "$dow" != 1 ] || monday=1
		awk -F, -v d="$d" -v prev="$(date -u -d "$d -1 day" +%F)" -v monday=$monday \
			-v dir="$in/$d/orders" '
			NR == 1 { h = $0; next }
			$3 == d || ($3 == prev && monday) { f = dir "/" ($9 == "" ? "direct" : $9) ".csv"
				if (!(f in seen)) { print h > f; seen[f] = 1 }
				print > f }' "$gen/orders.csv"
		awk -F, -v d="$d" 'NR == 1 || $2 <= d' "$gen/payments.csv" >"$in/$d/payments.csv"
	done
}

desk_run() {
	local day=$1
	shift
	if ! "$job" --config "$tmp/salesdesk.conf" --date "$day" "$@" >"$tmp/run.out" 2>&1 ||
		[ -s "$tmp/run.out" ]; then
		echo "job $day: $(head -n 3 "$tmp/run.out")" >>"$fails"
	fi
}
