adthresh --quiet=1 data/scores.csv
