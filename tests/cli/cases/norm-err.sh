adthresh --normalize zscore data/scores.csv
