adthresh --max-fpr 0 data/scores.csv
