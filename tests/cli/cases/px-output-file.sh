adthresh --format csv --output "$TMPDIR/px.csv" --maps tests/cli/inputs/px/mvtec/maps --masks tests/cli/inputs/px/mvtec/masks tests/cli/inputs/px/mvtec/scores.csv && cat "$TMPDIR/px.csv"
