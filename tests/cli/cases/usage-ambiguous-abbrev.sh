adthresh --ver data/scores.csv
