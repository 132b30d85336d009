adthresh --columns level,threshold,F1 data/scores.csv
