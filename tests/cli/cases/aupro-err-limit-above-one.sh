adthresh --maps data/bottle --masks data/bottle --aupro=1.5 data/bottle/scores.csv
