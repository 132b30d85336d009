#!/bin/sh
# Runs every fuzz target ($B/fuzz/fuzz_<name>, built by `make fuzz`) on its
# corpus for FUZZ_SECONDS each, FUZZ_JOBS targets at a time, niced, and
# prints the executions and coverage of each at the end.  The seeds in
# tests/fuzz/corpus/<name> are read only; new inputs go to
# $B/fuzz/corpus/<name>, crashes, leaks, timeouts and OOMs to
# $B/fuzz/artifacts/<name>/, logs to $B/fuzz/logs/<name>.log.
# Arguments: target names to run (default: all).
# After a run, to fold the new inputs into the seeds:
#   mkdir $B/m && $B/fuzz/fuzz_X -merge=1 $B/m tests/fuzz/corpus/X $B/fuzz/corpus/X
# and replace tests/fuzz/corpus/X's files by $B/m's (keeping crash-* files).
set -u
B=${B:-build}
FUZZ_SECONDS=${FUZZ_SECONDS:-600}
FUZZ_JOBS=${FUZZ_JOBS:-2}

# A sensible longest input per target: text formats stay small, images
# need room for a few strips or chunks.
max_len() {
	case $1 in
	values) echo 1024 ;;
	csv | json | jsonl | scores | matrix_csv | matrix_json | doc | thresholds) echo 8192 ;;
	npy | png | counts) echo 16384 ;;
	tiff) echo 32768 ;;
	*) echo 8192 ;;
	esac
}

run_one() {
	t=$1
	mkdir -p "$B/fuzz/corpus/$t" "$B/fuzz/artifacts/$t" "$B/fuzz/logs"
	nice -n 10 "$B/fuzz/fuzz_$t" "$B/fuzz/corpus/$t" "tests/fuzz/corpus/$t" \
		-max_total_time="$FUZZ_SECONDS" -max_len="$(max_len "$t")" \
		-rss_limit_mb=2048 -timeout=10 -print_final_stats=1 \
		-artifact_prefix="$B/fuzz/artifacts/$t/" >"$B/fuzz/logs/$t.log" 2>&1
	echo $? >"$B/fuzz/logs/$t.rc"
}

# Internal: `fuzz-run.sh --one NAME` runs one target (for xargs -P below).
if [ "${1:-}" = --one ]; then
	run_one "$2"
	exit 0
fi

if [ $# -gt 0 ]; then
	targets=$*
else
	targets=$(for f in tests/fuzz/fuzz_*.c; do n=${f##*/fuzz_}; echo "${n%.c}"; done)
fi
for t in $targets; do
	[ -x "$B/fuzz/fuzz_$t" ] || { echo "fuzz-run: no $B/fuzz/fuzz_$t (make fuzz)" >&2; exit 2; }
done

echo "fuzz-run: $(echo $targets | wc -w) targets, ${FUZZ_SECONDS}s each, $FUZZ_JOBS at a time"
# A pool of FUZZ_JOBS: the next target starts as soon as one ends.
for t in $targets; do echo "$t"; done |
	B=$B FUZZ_SECONDS=$FUZZ_SECONDS xargs -P "$FUZZ_JOBS" -I '{}' sh "$0" --one '{}'

bad=0
for t in $targets; do
	log=$B/fuzz/logs/$t.log
	rc=$(cat "$B/fuzz/logs/$t.rc" 2>/dev/null || echo '?')
	execs=$(grep -E '^stat::number_of_executed_units:' "$log" | awk '{print $2}')
	last=$(grep -E '^#[0-9]+' "$log" | tail -n 1)
	cov=$(echo "$last" | sed -nE 's/.* cov: ([0-9]+).*/\1/p')
	ft=$(echo "$last" | sed -nE 's/.* ft: ([0-9]+).*/\1/p')
	found=$(ls "$B/fuzz/artifacts/$t" 2>/dev/null | wc -l)
	printf '%-12s rc=%s execs=%s cov=%s ft=%s findings=%s\n' "$t" "$rc" "${execs:-?}" \
		"${cov:-?}" "${ft:-?}" "$found"
	[ "$rc" = 0 ] && [ "$found" -eq 0 ] || bad=1
done
exit $bad
