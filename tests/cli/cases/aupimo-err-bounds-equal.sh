adthresh --maps data/bottle --masks data/bottle --aupimo=1e-4:1e-4 data/bottle/scores.csv
