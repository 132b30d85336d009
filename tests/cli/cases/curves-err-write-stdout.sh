adthresh --maps data/bottle --masks data/bottle --curves - -o "$TMPDIR/r.txt" data/bottle/scores.csv >/dev/full
