#!/bin/bash
# tests/run's CASES (tests/run, tests/COVERAGE.md): one case by TOOL/CASE, several
# space-separated, a program's folder, and a name that matches no case, which must fail
# rather than pass 0 cases.  Also under --populate: one case rewritten, no other.
set -u
run=$TOP/tests/run
check() {       # NAME WANT-OUTPUT-LAST-LINE WANT-STATUS CASES [ARGS...]
	local name=$1 want=$2 wst=$3 sel=$4 out st
	shift 4
	out=$(CASES=$sel bash "$run" "$@" 2>&1)
	st=$?
	if [ "$(printf '%s\n' "$out" | tail -1)" = "$want" ] && [ $st = "$wst" ]; then
		echo "ok run-cases $name"
	else
		echo "FAIL run-cases $name: status $st, output:"
		printf '%s\n' "$out" | sed 's/^/    /'
	fi
}
n=$(ls -d "$TOP"/tests/e2e/merge/*/ | wc -l)
check one-case "1 passed, 0 failed" 0 order-intake/credit-hold e2e
check two-cases "2 passed, 0 failed" 0 "order-intake/credit-hold report/missing-input" e2e
check a-folder "$n passed, 0 failed" 0 merge e2e
check no-such-case "0 passed, 1 failed" 1 order-intake/no-such-case e2e
check no-such-tool "1 passed, 1 failed" 1 "order-intake/credit-hold no-such-tool" e2e
# --populate on a copy of the tree: exactly the chosen case's files are written
copy=$(mktemp -d "${TMPDIR:-/tmp}/run-cases.XXXXXX")
trap 'rm -rf "$copy"' EXIT
cp -r "$TOP/tests" "$copy/"
touch -d '2000-01-01' $(find "$copy/tests/e2e" -type f)
CASES=order-intake/credit-hold bash "$copy/tests/run" --populate e2e >/dev/null 2>&1
changed=$(find "$copy/tests/e2e" -type f -newermt '2001-01-01' | sed "s|$copy/tests/e2e/||" | sort | tr '\n' ' ')
if [ "$changed" = "order-intake/credit-hold/experr order-intake/credit-hold/expout " ]; then
	echo "ok run-cases populate-one-case"
else
	echo "FAIL run-cases populate-one-case: rewrote: $changed"
fi
