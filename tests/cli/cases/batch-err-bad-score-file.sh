cd "$TMPDIR" && rm -rf bs && cp -r "$OLDPWD/tests/cli/inputs/batch/scores" bs && printf 'score,label\n0.5,0\nabc,1\n' > bs/grid.csv && adthresh --batch bs
