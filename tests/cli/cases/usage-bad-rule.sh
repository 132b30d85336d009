adthresh --rule lt data/scores.csv
