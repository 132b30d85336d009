adthresh --columns level,f1 --format json data/scores.csv
