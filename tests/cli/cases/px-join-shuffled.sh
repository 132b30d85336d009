# 3,000 maps in 1,000 folders and a shuffled scores file that names each
# image in another form (a longer path with another extension, a shorter
# one, backslashes, no extension): every row finds its map, and the five
# rows whose label contradicts the mask are counted in the warning.
"${PYTHON:-/usr/bin/python3}" tests/cli/inputs/join/gen.py "$TMPDIR/j" && cd "$TMPDIR" &&
	adthresh --maps j/maps --masks j/masks j/scores.csv
