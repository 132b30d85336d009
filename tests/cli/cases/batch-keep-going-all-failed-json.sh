cd "$TMPDIR" && rm -rf af && mkdir af && printf 'score,label\n0.1,0\n0.2,0\n' > af/one.csv && printf 'score,label\nabc,0\n' > af/two.csv && adthresh --batch --keep-going --format json af
