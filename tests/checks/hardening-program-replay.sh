#!/usr/bin/env bash
# Replays the AFL++ seeds and crash regressions of the whole programs (report,
# dispatch-plan, freight-audit, receivables: tests/fuzz/corpus/PROG/ and
# tests/fuzz/regress/PROG/) through the normal $BINDIR/PROG with the options and masters
# the fuzzer used (tests/fuzz/programs.sh), so make test and make test-asan re-check
# every input that ever crashed.  Each run must end with 0 or 65 (71 for out of memory):
# never a signal, a sanitizer report or a timeout.  Row conservation where it is cheap,
# on a 0 exit: freight-audit output + rejects = input records; dispatch-plan output +
# unplanned >= input records (a split line is output once per part).  Input records are
# counted by Python's csv module, so only on inputs it reads as the tool does: comma
# separated, no NUL, no CR outside CRLF, no UTF-16/32 byte order mark.  One ok/FAIL line a program.
set -u
TOP=${TOP:-$(cd "$(dirname "$0")/../.." && pwd)}
BINDIR=${BINDIR:-$TOP/bin}
# shellcheck source=tests/fuzz/programs.sh
. "$TOP/tests/fuzz/programs.sh"
tmp=$(mktemp -d /tmp/salesdesk-progreplay.XXXXXX)
trap 'rm -rf "$tmp"' EXIT

for p in $PROGRAMS; do
	if [ ! -x "$BINDIR/$p" ]; then
		echo "ok hardening-program-replay $p # skipped, $BINDIR/$p not built"
		continue
	fi
	# ARGS as the fuzzer had them, outputs under a placeholder directory that the
	# replayer replaces by one scratch directory per input
	prog_args "$p" @DIR@
	printf '%s\0' "${ARGS[@]}" >"$tmp/args-$p"
	/usr/bin/python3 - "$p" "$BINDIR/$p" "$tmp" "$TOP/tests/fuzz" <<'PY'
import csv, io, os, subprocess, sys
from concurrent.futures import ThreadPoolExecutor

prog, binary, tmp, fuzz = sys.argv[1:5]
with open(os.path.join(tmp, "args-" + prog), "rb") as f:
    args = [a.decode() for a in f.read().split(b"\0")[:-1]]
files = []
for d in ("corpus", "regress"):
    top = os.path.join(fuzz, d, prog)
    if os.path.isdir(top):
        files += sorted(os.path.join(top, n) for n in os.listdir(top))
files = [f for f in files if os.path.isfile(f)]

def records(data):
    """Data records of an input as the tools read it, or None when not cheap to tell."""
    if b"\0" in data or b"\r" in data.replace(b"\r\n", b"") \
            or data[:2] in (b"\xff\xfe", b"\xfe\xff") \
            or data[:4] == b"\x00\x00\xfe\xff":
        return None
    rows = [r for r in csv.reader(io.StringIO(data.decode("latin-1"), newline="")) if r]
    return max(len(rows) - 1, 0)

def rows_of(path):
    if not os.path.exists(path):
        return 0
    with open(path, encoding="utf-8", newline="") as f:
        rows = [r for r in csv.reader(f) if r]
    return max(len(rows) - 1, 0)

def run(i_f):
    i, f = i_f
    d = os.path.join(tmp, "%s-%d" % (prog, i))
    os.mkdir(d)
    argv = [binary] + [a.replace("@DIR@", d) for a in args] + [f]
    try:
        r = subprocess.run(argv, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                           stderr=subprocess.PIPE, timeout=20)
    except subprocess.TimeoutExpired:
        return "%s: timeout (20 s)" % f
    err = r.stderr.decode("utf-8", "replace")
    if r.returncode not in (0, 65, 71) or "runtime error" in err or "Sanitizer" in err:
        return "%s: exit %d: %s" % (f, r.returncode, err.strip().splitlines()[-1:] or "")
    if r.returncode != 0 or prog not in ("freight-audit", "dispatch-plan"):
        return None
    with open(f, "rb") as fh:
        n = records(fh.read())
    if n is None:
        return None
    got = rows_of(os.path.join(d, "out.csv")) + rows_of(os.path.join(d, "rej.csv"))
    if prog == "freight-audit" and got != n or prog == "dispatch-plan" and got < n:
        return "%s: %d input records, %d output + rejected rows" % (f, n, got)
    return None

with ThreadPoolExecutor(max_workers=4) as ex:
    bad = [m for m in ex.map(run, enumerate(files)) if m]
if bad:
    print("FAIL hardening-program-replay %s: %d of %d inputs" % (prog, len(bad), len(files)))
    for m in bad[:10]:
        print("    " + m)
else:
    print("ok hardening-program-replay %s: %d inputs" % (prog, len(files)))
PY
done
