adthresh --compare-policies --image-threshold 0.5 data/scores.csv
