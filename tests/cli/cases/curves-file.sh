adthresh --maps data/bottle --masks data/bottle --curves "$TMPDIR/c.csv" data/bottle/scores.csv && head -n 4 "$TMPDIR/c.csv" && grep -c '^image,' "$TMPDIR/c.csv" && grep -c '^pixel,' "$TMPDIR/c.csv"
