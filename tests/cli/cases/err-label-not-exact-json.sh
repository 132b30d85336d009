# JSON numbers are judged on their text, not on the double cJSON reads.
printf '[\n{"score": 0.1, "label": 0},\n{"score": 0.5, "label": 0.99999999999999999999},\n{"score": 0.7, "label": 1e-400},\n{"score": 0.3, "label": "1e-400"}\n]\n' >"$TMPDIR/s.json" && cd "$TMPDIR" && adthresh s.json
