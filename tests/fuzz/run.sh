#!/bin/sh
# Replays every fuzz corpus (tests/fuzz/corpus/<name>/) through its target
# built without libFuzzer ($B/fuzz-replay/<name>, `make fuzz-replay`) and
# ends with "fuzz-replay: N passed, M failed", N counting inputs.  When a
# target fails, its inputs are replayed one by one to name the bad ones.
set -u
B=${B:-build}
passed=0
failed=0
for dir in tests/fuzz/corpus/*/; do
	t=${dir%/}
	t=${t##*/}
	bin=$B/fuzz-replay/$t
	n=$(find "$dir" -type f ! -name '.*' | wc -l)
	if [ ! -x "$bin" ]; then
		echo "FAIL $t: no $bin (make fuzz-replay)"
		failed=$((failed + 1))
		continue
	fi
	if "$bin" "$dir" >"$B/fuzz-replay/$t.log" 2>&1; then
		echo "ok $t: $n inputs"
		passed=$((passed + n))
		continue
	fi
	for f in "$dir"*; do
		[ -f "$f" ] || continue
		if "$bin" "$f" >"$B/fuzz-replay/$t.one.log" 2>&1; then
			passed=$((passed + 1))
		else
			failed=$((failed + 1))
			echo "FAIL $t: $f"
			tail -n 20 "$B/fuzz-replay/$t.one.log"
		fi
	done
done
echo "fuzz-replay: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
