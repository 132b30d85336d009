adthresh --compare-policies --rule gt --policy recall:0.99 --format json data/scores.csv
