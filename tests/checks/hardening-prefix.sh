#!/usr/bin/env bash
# Every byte prefix of a 1.5 KB orders file (CRLF, quoted CRLF, Chinese, rejects of each
# kind) through order-intake (STYLE §15, jq's every-prefix loop): never a crash; a
# prefix the core reader finds malformed (cut inside quotes) is exit 65 "malformed CSV";
# one whose header is cut short is 65 naming the missing column (or the empty input);
# any other is exit 0 with row conservation: data rows in (as tests/bin/csvdump reads
# them) = output rows + rejects rows.  Under SANITIZER=1 every 13th prefix is run.
set -u
TOP=${TOP:-$(cd "$(dirname "$0")/../.." && pwd)}
BINDIR=${BINDIR:-$TOP/bin}
BUILD=${BUILD:-$TOP/build/normal}
. "$TOP/tests/e2e/data/hardening/tools.sh"
if [ ! -x "$BINDIR/order-intake" ] || [ ! -x "$BUILD/tests/csvdump" ]; then
	echo "FAIL hardening-prefix: order-intake or csvdump not built"
	exit 0
fi
tool_args order-intake
tmp=$(mktemp -d /tmp/salesdesk-prefix.XXXXXX)
trap 'rm -rf "$tmp"' EXIT
step=1
[ -n "${SANITIZER:-}" ] && step=13
/usr/bin/python3 - "$BINDIR/order-intake" "$BUILD/tests/csvdump" "$INPUT" "$tmp" "$step" \
	"${ARGS[@]}" <<'PY'
import csv, io, os, subprocess, sys
tool, dump, src, tmp, step, args = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4], int(sys.argv[5]), sys.argv[6:]
data = open(src, "rb").read()
pre, out, rej = (os.path.join(tmp, n) for n in ("prefix.csv", "out.csv", "rej.csv"))
bad = checked = 0

def records(path):
    with open(path, newline="", encoding="utf-8", errors="surrogateescape") as f:
        return max(0, sum(1 for _ in csv.reader(f)) - 1)

for n in list(range(0, len(data) + 1, step)) + [len(data)]:
    with open(pre, "wb") as f:
        f.write(data[:n])
    for p in (out, rej):
        if os.path.exists(p):
            os.unlink(p)
    d = subprocess.run([dump, pre], capture_output=True)
    r = subprocess.run([tool, *args, "-q", "--rejects", rej, "-o", out, pre], capture_output=True)
    err = r.stderr.decode(errors="replace")
    why = None
    if r.returncode < 0 or r.returncode > 128 or "Sanitizer" in err or "runtime error" in err:
        why = f"crash: status {r.returncode}"
    elif d.returncode == 65:
        if r.returncode != 65 or ": malformed CSV: " not in err:
            why = f"malformed prefix: status {r.returncode}, want 65 'malformed CSV'"
    elif d.returncode != 0:
        why = f"csvdump status {d.returncode}"
    elif r.returncode == 65 and ("required column" in err or "no header row" in err or
                                 "header has bytes" in err):
        pass    # the header itself is cut short
    elif r.returncode != 0:
        why = f"status {r.returncode}"
    else:
        rows_in = max(0, len(d.stdout.splitlines()) - 1)
        got = records(out) + records(rej)
        if got != rows_in:
            why = f"{rows_in} rows in, {records(out)} out + {records(rej)} rejected"
    checked += 1
    if why:
        bad += 1
        print(f"FAIL hardening-prefix: prefix of {n} bytes: {why}")
        print("    " + err.strip().replace("\n", "\n    ")[:400])
        if bad >= 5:
            break
if not bad:
    print(f"ok hardening-prefix order-intake: {checked} prefixes of {len(data)} bytes")
PY
