adthresh --columns category,level,f1 data/scores.csv
