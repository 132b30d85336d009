adthresh --policy recall:1.5 data/scores.csv
