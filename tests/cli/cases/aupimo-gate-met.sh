adthresh --maps data/bottle --masks data/bottle --aupimo=1e-4:1e-3 --fail-under pixel.aupimo=0.5 --format json data/bottle/scores.csv
