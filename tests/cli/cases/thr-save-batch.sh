adthresh --batch --maps tests/cli/inputs/batch/mvtec/results --masks tests/cli/inputs/batch/mvtec/dataset --format csv --save-thresholds "$TMPDIR/t.json" && cat "$TMPDIR/t.json"
