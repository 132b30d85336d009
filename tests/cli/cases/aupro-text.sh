adthresh --maps data/bottle --masks data/bottle --aupro data/bottle/scores.csv
