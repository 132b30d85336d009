adthresh --maps data/bottle --masks data/bottle --aupro=0.05 --format json data/bottle/scores.csv
