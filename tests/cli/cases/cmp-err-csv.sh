adthresh --compare-policies --format csv data/scores.csv
