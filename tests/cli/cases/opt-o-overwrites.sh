echo old > "$TMPDIR/opt-o-over.csv"; adthresh -o "$TMPDIR/opt-o-over.csv" -f csv data/scores.csv && cat "$TMPDIR/opt-o-over.csv"
