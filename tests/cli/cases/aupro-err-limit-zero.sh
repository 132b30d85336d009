adthresh --maps data/bottle --masks data/bottle --aupro=0 data/bottle/scores.csv
