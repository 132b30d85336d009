adthresh --maps data/bottle --masks data/bottle --aupimo=2e-5:2e-4 --format json data/bottle/scores.csv
