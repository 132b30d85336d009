mkdir "$TMPDIR/tc" && adthresh --save-thresholds - --curves - -o "$TMPDIR/tc/r.txt" tests/cli/inputs/mvtec.csv; s=$?; ls "$TMPDIR/tc"; exit $s
