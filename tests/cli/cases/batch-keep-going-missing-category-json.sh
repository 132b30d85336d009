cd "$TMPDIR" && rm -rf mc && cp -r "$OLDPWD/tests/cli/inputs/batch/mvtec" mc && rm -r mc/dataset/screw && adthresh --batch --keep-going --format json --maps mc/results --masks mc/dataset
