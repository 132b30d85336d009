adthresh --policy precision:1 data/bottle/scores.csv
