adthresh --maps data/bottle --masks data/bottle --aupro=abc data/bottle/scores.csv
