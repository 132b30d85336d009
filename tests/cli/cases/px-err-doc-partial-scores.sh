sed '2s/"pred_score": 0.7, //' tests/cli/inputs/px/doc/results.json > "$TMPDIR/partial.json" && cd "$TMPDIR" && adthresh --maps partial.json
