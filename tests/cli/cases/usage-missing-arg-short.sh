adthresh data/scores.csv -o
