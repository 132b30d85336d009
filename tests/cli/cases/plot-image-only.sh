adthresh --plot "$TMPDIR/p.svg" data/scores.csv >/dev/null && xmllint --noout "$TMPDIR/p.svg" && xmllint --xpath "count(//*[local-name()='polyline'])" "$TMPDIR/p.svg"; echo
