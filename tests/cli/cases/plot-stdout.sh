adthresh --maps data/bottle --masks data/bottle --plot - -o "$TMPDIR/r.txt" data/bottle/scores.csv | grep -c "<polyline"
