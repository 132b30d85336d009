adthresh --format xml data/scores.csv
