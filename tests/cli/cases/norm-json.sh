adthresh --normalize minmax --format json data/scores.csv
