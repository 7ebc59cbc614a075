#!/usr/bin/env bash
# Replays the fuzz seed corpus and the crash regressions (tests/fuzz/corpus/TARGET/,
# tests/fuzz/regress/TARGET/) through the plain driver tests/bin/fuzzreplay.c, built by
# the Makefile with gcc (and the sanitizers under make test-asan), so every `make test`
# re-checks each input that ever crashed.  The Makefile does not know that the driver
# includes tests/fuzz/*.c, so a driver older than those is rebuilt here, beside it in
# a scratch directory, with the same compiler and flags.
set -u
TOP=${TOP:-$(cd "$(dirname "$0")/../.." && pwd)}
BUILD=${BUILD:-$TOP/build/normal}
drv=$BUILD/tests/fuzzreplay
tmp=$(mktemp -d /tmp/salesdesk-replay.XXXXXX)
trap 'rm -rf "$tmp"' EXIT

stale=0
[ -x "$drv" ] || stale=1
for f in "$TOP"/tests/fuzz/*.[ch] "$TOP"/tests/bin/fuzzreplay.c "$BUILD/libsalesdesk.a"; do
	[ "$f" -nt "$drv" ] && stale=1
done
if [ $stale = 1 ]; then
	san=
	[ -n "${SANITIZER:-}" ] && san="-fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all"
	# the Makefile's WARN, -Werror among them (make warn-flags)
	warn=$(make -s --no-print-directory -C "$TOP" warn-flags)
	# shellcheck disable=SC2086
	if ! ${CC:-cc} -D_GNU_SOURCE -I"$TOP/src/lib" -O1 -g $warn $san -o "$tmp/fuzzreplay" \
	    "$TOP/tests/bin/fuzzreplay.c" "$BUILD/libsalesdesk.a" -lcsv 2>"$tmp/cc.err"; then
		echo "FAIL hardening-fuzz-replay: cannot build the replay driver"
		sed 's/^/    /' "$tmp/cc.err" | head -20
		exit 0
	fi
	drv=$tmp/fuzzreplay
fi
for t in csv num header master order-intake; do
	dirs=
	for d in "$TOP/tests/fuzz/corpus/$t" "$TOP/tests/fuzz/regress/$t"; do
		[ -d "$d" ] && dirs="$dirs $d"
	done
	[ -n "$dirs" ] || { echo "ok hardening-fuzz-replay $t # no inputs"; continue; }
	# shellcheck disable=SC2086
	out=$(cd "$tmp" && timeout 300 "$drv" -v "$t" $dirs 2>&1)
	st=$?
	if [ $st != 0 ]; then
		echo "FAIL hardening-fuzz-replay $t: exit $st"
		printf '%s\n' "$out" | grep -v '^fuzzreplay: /' | head -20 | sed 's/^/    /'
		printf '%s\n' "$out" | grep '^fuzzreplay: /' | tail -1 | sed 's/^/    last input: /'
	else
		echo "ok hardening-fuzz-replay $t: $(printf '%s\n' "$out" | tail -1)"
	fi
done
