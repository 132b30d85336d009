adthresh --maps data/bottle --masks data/bottle --aupimo=1e-4:1.5 data/bottle/scores.csv
