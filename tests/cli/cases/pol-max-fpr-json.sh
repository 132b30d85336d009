adthresh --max-fpr 0.3 --format json data/scores.csv
