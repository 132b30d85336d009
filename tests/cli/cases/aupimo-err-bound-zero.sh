adthresh --maps data/bottle --masks data/bottle --aupimo=0:1e-4 data/bottle/scores.csv
