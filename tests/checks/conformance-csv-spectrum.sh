#!/usr/bin/env bash
# The csv-spectrum corpus (Debian node-csv-spectrum) through the core reader: every case's
# records, read by tests/bin/csvdump, must equal its expected JSON field by field.  The
# JSON is a list of objects keyed by the first row, so the first record is the header
# and each later record is compared with the object's values in header order (and its
# keys with the header).  Prints "ok conformance NAME" or "FAIL conformance NAME: why".
#
# Skipped cases: none so far — all eleven expectations of csv-spectrum 1.0 agree with
# RFC 4180 and the SPEC (empty quoted fields are "", CRLF inside quotes is kept, the
# file may end without a newline).  A case is skipped by listing it in SKIP with the
# reason in a comment next to it.
set -u
TOP=${TOP:-$(cd "$(dirname "$0")/../.." && pwd)}
BUILD=${BUILD:-$TOP/build/normal}
spectrum=${CSV_SPECTRUM:-/usr/share/nodejs/csv-spectrum}
dump=$BUILD/tests/csvdump
SKIP=""

if [ ! -d "$spectrum/csvs" ]; then
	echo "FAIL conformance: $spectrum/csvs missing (install node-csv-spectrum: make deps)"
	exit 0
fi
if [ ! -x "$dump" ]; then
	echo "FAIL conformance: $dump not built (make all)"
	exit 0
fi
for csv in "$spectrum"/csvs/*.csv; do
	name=$(basename "$csv" .csv)
	case " $SKIP " in *" $name "*) echo "ok conformance $name # skipped"; continue ;; esac
	json=$spectrum/json/$name.json
	got=$("$dump" "$csv" 2>&1)
	st=$?
	/usr/bin/python3 - "$name" "$json" "$st" "$got" <<'PY'
import json, sys
name, path, st, got = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4]
want = json.load(open(path, encoding="utf-8"))
def fail(why):
    print(f"FAIL conformance {name}: {why}")
    sys.exit(0)
if st != 0:
    fail(f"csvdump exit {st}: {got}")
recs = [json.loads(l) for l in got.split("\n") if l]
if not recs:
    fail("no header record")
hdr, rows = recs[0], recs[1:]
if len(rows) != len(want):
    fail(f"{len(rows)} data records, want {len(want)}")
for i, (r, w) in enumerate(zip(rows, want), start=2):
    if list(w.keys()) != hdr:
        fail(f"header {hdr}, want {list(w.keys())}")
    if r != list(w.values()):
        fail(f"record {i}: {r!r}, want {list(w.values())!r}")
print(f"ok conformance {name}")
PY
done
