adthresh data/scores.csv data/scores.json
