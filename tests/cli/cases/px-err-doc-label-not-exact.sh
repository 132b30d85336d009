# gt_label of a results document.
sed '2s/"gt_label": 1/"gt_label": 0.99999999999999999999/' tests/cli/inputs/px/doc/results.json >"$TMPDIR/r.json" && cd "$TMPDIR" && adthresh --maps r.json
