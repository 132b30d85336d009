adthresh --maps data/bottle --masks data/bottle --aupro --fail-under pixel.aupro=0.99 data/bottle/scores.csv
