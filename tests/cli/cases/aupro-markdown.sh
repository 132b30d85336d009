adthresh --maps data/bottle --masks data/bottle --aupro=1 --format markdown data/bottle/scores.csv
