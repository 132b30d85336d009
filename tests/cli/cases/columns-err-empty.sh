adthresh --columns level,,f1 data/scores.csv
