adthresh --policy corner data/scores.csv
