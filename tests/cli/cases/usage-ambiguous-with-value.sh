adthresh --ver=1 data/scores.csv
