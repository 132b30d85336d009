# JSON parallel arrays.
printf '{"score": [0.1, 0.5, 0.7],\n "label": [0, 1e-400, 0.99999999999999999999]}\n' >"$TMPDIR/s.json" && cd "$TMPDIR" && adthresh s.json
