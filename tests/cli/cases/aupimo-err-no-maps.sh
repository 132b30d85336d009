adthresh --aupimo data/scores.csv
