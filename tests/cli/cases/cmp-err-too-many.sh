adthresh --compare-policies --policy recall:0.1 --policy recall:0.2 --policy recall:0.3 --policy recall:0.4 --policy recall:0.5 --policy recall:0.6 data/scores.csv
