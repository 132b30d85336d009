adthresh --compare-policies --policy recall:0.99 data/scores.csv
