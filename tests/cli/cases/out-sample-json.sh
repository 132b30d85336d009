adthresh --format json data/scores.csv
