adthresh --maps data/bottle --masks data/bottle --aupimo=abc data/bottle/scores.csv
