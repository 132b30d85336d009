adthresh --columns level,f1,f1 data/scores.csv
