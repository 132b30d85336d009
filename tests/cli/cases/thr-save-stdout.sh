mkdir "$TMPDIR/ts" && adthresh --save-thresholds - -o "$TMPDIR/ts/r.txt" tests/cli/inputs/mvtec.csv && ls "$TMPDIR/ts"
