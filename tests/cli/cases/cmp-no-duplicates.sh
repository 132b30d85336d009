adthresh --compare-policies --policy corner --policy recall:0.9 --policy recall:0.90 --policy f1 --policy recall:0.9 data/scores.csv
