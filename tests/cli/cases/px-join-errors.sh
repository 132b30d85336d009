# The join's errors on 3,000 maps, one run per scores file (see
# tests/cli/inputs/join/gen.py): a bare name matching many maps is reported
# on its line before the unknown ids above it, as matching a second map, or
# when it comes last as matching a map an earlier row took; an image named
# twice; unknown ids with the first three as examples; images left out,
# the first three maps in path order as examples.
"${PYTHON:-/usr/bin/python3}" tests/cli/inputs/join/gen.py "$TMPDIR/j" && cd "$TMPDIR" &&
	for v in ambiguous taken twice unknown unlisted; do
		adthresh --maps j/maps --masks j/masks "j/scores-$v.csv"
		echo "$v: exit $?"
	done
