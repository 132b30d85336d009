# The per-defect breakdown of 3,000 maps in 1,000 folders: from the scores
# file's ids (in four forms, backslashes too), from the maps alone, and
# from the scores file alone.  Each output is 2,000 rows or more: its row
# count, first rows and checksum.
"${PYTHON:-/usr/bin/python3}" tests/cli/inputs/join/gen.py "$TMPDIR/j" && cd "$TMPDIR" &&
	for args in "--maps j/maps --masks j/masks j/scores.csv" "--maps j/maps --masks j/masks" \
		j/scores.csv; do
		echo "adthresh $args"
		# shellcheck disable=SC2086
		adthresh $args --per-defect -q -f csv >out.csv || exit
		wc -l <out.csv
		head -n 4 out.csv
		cksum <out.csv
	done
