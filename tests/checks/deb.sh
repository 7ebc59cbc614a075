#!/usr/bin/env bash
# The Debian package (make deb; lintian with no error) installed into a clean root,
# used, removed and purged there, with its maintainer scripts really run.
#
# The root: an overlay whose lower layer is this machine's / (read only) and whose upper
# layer is a scratch folder, mounted in a private mount namespace (unshare -m) and
# entered with chroot.  dpkg -i runs there as on a real Debian 12 machine (sysusers,
# tmpfiles, deb-systemd-helper, man-db) and every write lands in the scratch folder: the
# machine's own dpkg database, users and /etc are untouched, and nothing of salesdesk is
# installed on it (asserted).  Other ways were weighed: debootstrap downloads a system
# (minutes); dpkg --root=DIR chroots the maintainer scripts into DIR, which then needs
# systemd-sysusers and a shell of its own; --force-script-chrootless runs them on the
# machine itself, where deb-systemd-helper does not honour DPKG_ROOT.  Needs root and
# overlayfs, as make test does on a fresh Debian 12.
set -u
TOP=${TOP:-$(cd "$(dirname "$0")/../.." && pwd)}
if [ "$(id -u)" != 0 ]; then
	echo "FAIL deb: the install test needs root (unshare, mount, chroot)"
	exit 0
fi
tmp=$(mktemp -d /tmp/salesdesk-deb.XXXXXX)
trap 'rm -rf "$tmp"' EXIT

# the package builds its own programs: not with the flavour tests/run was given (BUILD of
# make test-asan or make coverage would put sanitizer or gcov objects into it)
if ! env -u BUILD -u BINDIR -u OUT -u EXTRA_CFLAGS -u CFLAGS make -s -C "$TOP" deb \
	>"$tmp/make.log" 2>&1; then
	echo "FAIL deb: make deb (dpkg-buildpackage or lintian)"
	sed 's/^/    /' "$tmp/make.log" | tail -30
	exit 0
fi
echo "ok deb make deb, lintian without errors"
deb=$(ls "$TOP"/build/deb/salesdesk_*_*.deb)
host_before=$(dpkg-query -W -f '${Status}' salesdesk 2>&1; getent passwd salesdesk)

# What runs inside the root: one "ok NAME" or "FAIL NAME" line per check.
cat >"$tmp/inside.sh" <<'EOF'
set -u
check() { if eval "$2"; then echo "ok deb $1"; else echo "FAIL deb $1"; return 1; fi; }
check "root-is-clean" "! dpkg-query -W salesdesk >/dev/null 2>&1 && ! getent passwd salesdesk >/dev/null"
dpkg -i /tmp/salesdesk.deb >/tmp/dpkg-i.log 2>&1
check "dpkg-i" "[ $? = 0 ]" || cat /tmp/dpkg-i.log
check "installed" "dpkg-query -W -f '\${Status}' salesdesk | grep -q 'install ok installed'"
check "conffile" "dpkg-query -W -f '\${Conffiles}' salesdesk | grep -q '^ /etc/salesdesk/salesdesk.conf [0-9a-f]\{32\}\$'"
check "system-user" "getent passwd salesdesk | grep -q ':/var/lib/salesdesk:/usr/sbin/nologin\$' && [ \$(id -u salesdesk) -lt 1000 ]"
check "archive-owned" "[ \"\$(stat -c '%U:%G %a' /var/lib/salesdesk/archive)\" = 'salesdesk:salesdesk 750' ]"
check "programs" "[ -x /usr/bin/salesdesk ] && [ -x /usr/bin/order-intake ] && [ -x /usr/bin/dispatch-plan ] && [ -x /usr/bin/freight-audit ] && [ -x /usr/lib/salesdesk/report ] && [ -x /usr/lib/salesdesk/receivables ] && [ -x /usr/lib/salesdesk/complaints ] && [ ! -e /usr/bin/complaints ]"
check "generic-names-off-path" "! command -v report && ! command -v receivables"
check "salesdesk-tool" "salesdesk report --version | grep -q '^report (salesdesk)' && salesdesk receivables --version | grep -q '^receivables (salesdesk)'"
check "scale-out-recipes" "[ -x /usr/bin/salesdesk-parallel ] && [ -x /usr/bin/salesdesk-slurm ] && [ -x /usr/bin/salesdesk-part ] && [ -x /usr/lib/salesdesk/salesdesk-part ] && [ -x /usr/lib/salesdesk/merge ]"
# the installed recipe through GNU parallel (when the machine has it): the samples' day in
# two parts, the same confirmed lines and plan as the installed programs' single run
if command -v parallel >/dev/null; then
	S=/usr/share/salesdesk/samples
	printf '%s\n' BIN=/usr/lib/salesdesk CUSTOMERS=$S/customers.csv PRODUCTS=$S/products.csv \
		RATES=$S/rates.csv "ORDERS=\"$S/orders/beijing.csv $S/orders/wuhan.csv\"" >/tmp/sd.conf
	order-intake -q -c $S/customers.csv -p $S/products.csv $S/orders/beijing.csv $S/orders/wuhan.csv |
		dispatch-plan -q -R $S/rates.csv >/tmp/one-plan.csv
	salesdesk-parallel /tmp/sd.conf 2 /tmp/par >/tmp/par.log 2>&1
	check "scale-out-parallel" "[ $? = 0 ] && [ \$(wc -l </tmp/one-plan.csv) -gt 1 ] && cmp -s /tmp/one-plan.csv /tmp/par/plan.csv" || cat /tmp/par.log
fi
check "man-pages" "{ man -w 1 salesdesk && man -w 1 salesdesk-daily && man -w 1 merge && man -w 1 report && man -w 1 receivables && man -w 7 salesdesk; } >/dev/null"
check "completion" "bash -c '. /usr/share/bash-completion/bash_completion; for c in salesdesk order-intake salesdesk-daily; do _completion_loader \$c; complete -p \$c | grep -q _salesdesk || exit 1; done'"
check "units-disabled" "[ -f /lib/systemd/system/salesdesk.timer ] && [ -f /lib/systemd/system/salesdesk.service ] && [ ! -e /etc/systemd/system/timers.target.wants/salesdesk.timer ] && [ \"\$(systemctl is-enabled salesdesk.timer 2>/dev/null)\" = disabled ]"
check "units-verify" "[ -z \"\$(systemd-analyze verify /lib/systemd/system/salesdesk.service /lib/systemd/system/salesdesk.timer 2>&1)\" ]"
# after Saturday's run the next is Monday's
check "timer-working-days" "cal=\$(sed -n 's/^OnCalendar=//p' /lib/systemd/system/salesdesk.timer) && TZ=UTC systemd-analyze calendar --base-time='2026-12-05 19:00 UTC' \"\$cal\" | grep -q 'Next elapse: Mon 2026-12-07 18:30:00 UTC'"
# the job, as the service runs it, on the samples through the shipped configuration
runuser -u salesdesk -- salesdesk-daily --date 2026-12-31 --dry-run >/tmp/daily.log 2>&1
check "daily-dry-run" "[ $? = 0 ]" || cat /tmp/daily.log
d=/var/lib/salesdesk/archive/2026-12-31
check "daily-archive" "[ -s $d/mail.eml ] && [ -s $d/发货计划-2026-12-31.xlsx ] && [ \"\$(stat -c %U $d/orders.csv)\" = salesdesk ]"
check "daily-excel-csv" "[ \"\$(head -c 3 $d/order-rejects.csv | od -An -tx1 | tr -d ' ')\" = efbbbf ]"
dpkg -r salesdesk >/tmp/dpkg-r.log 2>&1
check "dpkg-r" "[ $? = 0 ]" || cat /tmp/dpkg-r.log
check "remove-keeps-conffile-archive-user" "[ ! -e /usr/bin/salesdesk ] && [ ! -e /usr/lib/salesdesk ] && [ -f /etc/salesdesk/salesdesk.conf ] && [ -s $d/mail.eml ] && getent passwd salesdesk >/dev/null"
check "remove-state" "dpkg-query -W -f '\${Status}' salesdesk | grep -q 'deinstall ok config-files'"
dpkg -P salesdesk >/tmp/dpkg-p.log 2>&1
check "dpkg-P" "[ $? = 0 ]" || cat /tmp/dpkg-p.log
check "purge-removes-conffile-archive" "[ ! -e /etc/salesdesk ] && [ ! -e /var/lib/salesdesk ] && ! dpkg-query -W salesdesk >/dev/null 2>&1"
check "purge-keeps-user" "getent passwd salesdesk >/dev/null"
EOF

mkdir -p "$tmp/upper" "$tmp/work" "$tmp/root"
unshare -m sh -c '
	set -e
	t=$1
	mount --make-rprivate /
	mount -t overlay overlay -o lowerdir=/,upperdir="$t/upper",workdir="$t/work" "$t/root"
	mount --rbind /dev "$t/root/dev"
	mount -t proc proc "$t/root/proc"
	mount -t tmpfs tmpfs "$t/root/tmp"
	mount -t tmpfs tmpfs "$t/root/run"
	cp "$2" "$t/root/tmp/salesdesk.deb"
	cp "$t/inside.sh" "$t/root/tmp/inside.sh"
	exec chroot "$t/root" env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin LC_ALL=C.UTF-8 \
		bash /tmp/inside.sh
' sh "$tmp" "$deb" >"$tmp/out" 2>&1
st=$?
cat "$tmp/out"
[ $st = 0 ] || echo "FAIL deb: the clean root could not be set up (exit $st)"
host_after=$(dpkg-query -W -f '${Status}' salesdesk 2>&1; getent passwd salesdesk)
if [ "$host_before" = "$host_after" ]; then
	echo "ok deb the machine itself is untouched"
else
	echo "FAIL deb the machine itself changed: $host_after"
fi
