adthresh --compare-policies --policy recall:0.5 --rule gt data/scores.csv
