# --curve-points corners: every corner of the ROC curve, as scikit-learn's
# drop_intermediate keeps them; with fewer than 100,000 samples a class the
# default writes the same rows.
adthresh -v --curves - --curve-points corners -o /dev/null data/scores.csv && adthresh --curves "$TMPDIR/c.csv" -o /dev/null data/scores.csv && adthresh --curves - --curve-points corners -o /dev/null data/scores.csv | cmp - "$TMPDIR/c.csv" && echo "default: the same rows"
