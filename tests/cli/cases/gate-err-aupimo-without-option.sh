adthresh --maps data/bottle --masks data/bottle --fail-under pixel.aupimo=0.5 data/bottle/scores.csv
