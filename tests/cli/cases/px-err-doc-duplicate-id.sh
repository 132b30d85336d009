sed '3s|mvtec/test/crack/001.png|mvtec/test/crack/000.png|' tests/cli/inputs/px/doc/results.json > "$TMPDIR/dupdoc.json" && cd "$TMPDIR" && adthresh --maps dupdoc.json
