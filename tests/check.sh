#!/bin/sh
# Runs every test suite of adthresh and ends with one summary line.
# Environment: ADTHRESH (the binary), B (the build folder), PYTHON,
# SANITIZE (set when the build is instrumented, as make check passes it).
set -u
B=${B:-build}
ADTHRESH=${ADTHRESH:-$B/adthresh}
PYTHON=${PYTHON:-/usr/bin/python3}
SANITIZE=${SANITIZE:-}
export ADTHRESH PYTHON
passed=0
failed=0
log=$B/check.log
: >"$log"

# A sanitized build stops at its first finding, reports leaks, and lets a
# failed malloc return NULL as libc's does (the out-of-memory tests need
# that).  Every report goes to a file in $B/sanitizer/, and the sanitizer
# suite at the end lists them: a report fails the check even where the
# test that caused it looked only at the exit status.
if [ -n "$SANITIZE" ]; then
	san=$(cd "$B" && pwd)/sanitizer
	rm -rf "$san"
	mkdir -p "$san"
	ASAN_OPTIONS=${ASAN_OPTIONS:-halt_on_error=1:detect_leaks=1:allocator_may_return_null=1:exitcode=86:log_path=$san/asan}
	UBSAN_OPTIONS=${UBSAN_OPTIONS:-halt_on_error=1:print_stacktrace=1:log_path=$san/ubsan}
	# fontconfig, which cairo loads to draw text, keeps what it read of
	# its configuration to the end of the process: no finding of ours.
	LSAN_OPTIONS=${LSAN_OPTIONS:-suppressions=$(pwd)/tests/lsan.supp:print_suppressions=0}
	# A sanitized shared library needs its runtime loaded before python
	# starts (SAN_PRELOAD for LD_PRELOAD).
	SAN_PRELOAD=
	case ",$SANITIZE," in *,address,*) SAN_PRELOAD=$(${CC:-cc} -print-file-name=libasan.so) ;; esac
	case ",$SANITIZE," in *,undefined,*) SAN_PRELOAD="$SAN_PRELOAD $(${CC:-cc} -print-file-name=libubsan.so)" ;; esac
	SAN_PRELOAD=${SAN_PRELOAD# }
	export ASAN_OPTIONS UBSAN_OPTIONS LSAN_OPTIONS SAN_PRELOAD
fi

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

# The Python API over the shared library of this build.  A sanitized
# library needs its runtime loaded before python starts, and python's
# own allocations are no finding: leaks are not reported there.
python_api() {
	if [ -n "$SANITIZE" ]; then
		LD_PRELOAD=$SAN_PRELOAD ASAN_OPTIONS="${ASAN_OPTIONS:-}:detect_leaks=0" \
			ADTHRESH_LIBRARY=$B/libadthresh.so.1 "$PYTHON" tests/oracle/python_api_oracle.py
	else
		ADTHRESH_LIBRARY=$B/libadthresh.so.1 "$PYTHON" tests/oracle/python_api_oracle.py
	fi
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

for suite in cli locale oracle pixel-oracle batch-oracle aupro-oracle aupimo-oracle defect-oracle perimage-oracle curves-oracle normalize-oracle calibration-oracle gate-oracle compare-oracle merge-oracle python-api-oracle fuzz-replay install; do
	out=$B/$suite.out
	case $suite in
	cli) sh tests/cli/run.sh >"$out" 2>&1 ;;
	oracle) "$PYTHON" tests/oracle/oracle.py >"$out" 2>&1 ;;
	pixel-oracle) "$PYTHON" tests/oracle/pixel_oracle.py >"$out" 2>&1 ;;
	batch-oracle) "$PYTHON" tests/oracle/batch_oracle.py >"$out" 2>&1 ;;
	aupro-oracle) "$PYTHON" tests/oracle/aupro_oracle.py >"$out" 2>&1 ;;
	aupimo-oracle) "$PYTHON" tests/oracle/aupimo_oracle.py >"$out" 2>&1 ;;
	defect-oracle) "$PYTHON" tests/oracle/defect_oracle.py >"$out" 2>&1 ;;
	perimage-oracle) "$PYTHON" tests/oracle/perimage_oracle.py >"$out" 2>&1 ;;
	curves-oracle) "$PYTHON" tests/oracle/curves_oracle.py >"$out" 2>&1 ;;
	normalize-oracle) "$PYTHON" tests/oracle/normalize_oracle.py >"$out" 2>&1 ;;
	calibration-oracle) "$PYTHON" tests/oracle/calibration_oracle.py >"$out" 2>&1 ;;
	gate-oracle) "$PYTHON" tests/oracle/gate_oracle.py >"$out" 2>&1 ;;
	compare-oracle) "$PYTHON" tests/oracle/compare_oracle.py >"$out" 2>&1 ;;
	merge-oracle) "$PYTHON" tests/oracle/merge_oracle.py >"$out" 2>&1 ;;
	python-api-oracle) python_api >"$out" 2>&1 ;;
	fuzz-replay) B=$B sh tests/fuzz/run.sh >"$out" 2>&1 ;;
	install) B=$B SANITIZE=$SANITIZE sh tests/install/run.sh >"$out" 2>&1 ;;
	locale) sh tests/cli/locale.sh >"$out" 2>&1 ;;
	esac
	grep -v -E '^(ok|PASS) ' "$out" | tail -n 40
	count "$out"
done

if [ -n "$SANITIZE" ]; then
	out=$B/sanitizer.out
	# A file with only "WARNING: ... failed to allocate" is a malloc that
	# returned NULL on purpose (allocator_may_return_null), not a finding.
	reports=$(grep -l -E 'ERROR: |runtime error|SUMMARY: ' "$san"/* 2>/dev/null | sort)
	n=$(printf '%s' "$reports" | grep -c .)
	for f in $reports; do
		echo "sanitizer report $f:"
		head -n 40 "$f"
	done
	if [ "$n" -eq 0 ]; then
		echo "sanitizer ($SANITIZE): no reports; 1 passed, 0 failed" | tee "$out"
	else
		echo "sanitizer ($SANITIZE): 0 passed, $n failed" | tee "$out"
	fi
	count "$out"
fi

echo "check: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
