adthresh --maps data/bottle --masks data/bottle --aupro --fail-under image.aupro=0.5 data/bottle/scores.csv
