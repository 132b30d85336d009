# The default rows are the corners of the ROC curve 1e-5 apart (the pixel
# level has more than 100,000 normal pixels: a few corners are left out);
# corners writes every corner; all every distinct score; N thins every
# point evenly.  Rows per level each way.
for p in "" "--curve-points corners" "--curve-points all" "--curve-points 5"; do adthresh --maps data/bottle --masks data/bottle --curves "$TMPDIR/c.csv" $p -o /dev/null data/bottle/scores.csv && echo "${p:-default}: $(grep -c '^image,' "$TMPDIR/c.csv") image, $(grep -c '^pixel,' "$TMPDIR/c.csv") pixel"; done && adthresh --curves - -o /dev/null data/scores.csv | head -n 8 && adthresh --curves - --curve-points all -o /dev/null data/scores.csv | head -n 8
