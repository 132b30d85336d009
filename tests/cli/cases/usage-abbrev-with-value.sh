adthresh --qu=1 data/scores.csv
