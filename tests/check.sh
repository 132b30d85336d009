#!/bin/sh
# Runs every test suite of adthresh and ends with one summary line.
# Environment: ADTHRESH (the binary), B (the build folder), PYTHON.
set -u
B=${B:-build}
ADTHRESH=${ADTHRESH:-$B/adthresh}
PYTHON=${PYTHON:-/usr/bin/python3}
export ADTHRESH PYTHON
passed=0
failed=0
log=$B/check.log
: >"$log"

# Adds the counts of a suite's "N passed, M failed" line to the totals.
count() {
	line=$(grep -E '[0-9]+ passed, [0-9]+ failed' "$1" | tail -n 1)
	p=$(echo " $line" | sed -E 's/.*[^0-9]([0-9]+) passed, ([0-9]+) failed.*/\1/')
	f=$(echo " $line" | sed -E 's/.*[^0-9]([0-9]+) passed, ([0-9]+) failed.*/\2/')
	if [ -z "$line" ]; then
		p=0
		f=1
	fi
	passed=$((passed + p))
	failed=$((failed + f))
}

# Unit tests: one cmocka binary per module.
out=$B/unit.out
: >"$out"
up=0
uf=0
for t in "$B"/tests/test_*; do
	[ -x "$t" ] || continue
	name=${t##*/}
	if CMOCKA_MESSAGE_OUTPUT=stdout "$t" >"$B/$name.log" 2>&1; then r=0; else r=1; fi
	n=$(grep -c '^\[       OK \]' "$B/$name.log")
	bad=$(grep '^\[  FAILED  \] ' "$B/$name.log" | grep -vc ' test(s)')
	if [ "$r" -ne 0 ] && [ "$bad" -eq 0 ]; then bad=1; fi
	echo "unit $name: $n passed, $bad failed"
	[ "$bad" -eq 0 ] || cat "$B/$name.log"
	up=$((up + n))
	uf=$((uf + bad))
done
echo "unit: $up passed, $uf failed" | tee "$out"
count "$out"

for suite in cli oracle pixel-oracle; do
	out=$B/$suite.out
	case $suite in
	cli) sh tests/cli/run.sh >"$out" 2>&1 ;;
	oracle) "$PYTHON" tests/oracle/oracle.py >"$out" 2>&1 ;;
	pixel-oracle) "$PYTHON" tests/oracle/pixel_oracle.py >"$out" 2>&1 ;;
	esac
	grep -v -E '^(ok|PASS) ' "$out" | tail -n 40
	count "$out"
done

echo "check: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
