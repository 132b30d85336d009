# Rows in the order the maps were paired (the sorted walk of test/), ids
# as the maps name them; the scores come from the scores file, whose rows
# are in another order.
adthresh --maps data/bottle --masks data/bottle --per-image "$TMPDIR/p.csv" data/bottle/scores.csv && cat "$TMPDIR/p.csv"
