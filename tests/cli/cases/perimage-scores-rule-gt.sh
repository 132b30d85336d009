# Counted with the rule of the run: the image at the threshold is not
# flagged under gt.
adthresh --rule gt --per-image "$TMPDIR/p.csv" tests/cli/inputs/mvtec.csv && cat "$TMPDIR/p.csv"
