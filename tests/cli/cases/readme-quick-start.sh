adthresh data/scores.csv
