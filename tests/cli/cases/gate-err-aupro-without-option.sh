adthresh --maps data/bottle --masks data/bottle --fail-under pixel.aupro=0.5 data/bottle/scores.csv
