adthresh -o "$TMPDIR/opt-o-file.json" -f json data/scores.csv && cat "$TMPDIR/opt-o-file.json"
