adthresh --maps data/bottle --masks data/bottle --aupimo=1e-6:1e-5 data/bottle/scores.csv
