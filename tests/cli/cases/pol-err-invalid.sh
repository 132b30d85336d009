adthresh --policy f2 data/scores.csv
