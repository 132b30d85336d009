adthresh data/scores.csv --rule
