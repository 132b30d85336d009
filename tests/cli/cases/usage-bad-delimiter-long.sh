adthresh --delimiter ab data/scores.csv
