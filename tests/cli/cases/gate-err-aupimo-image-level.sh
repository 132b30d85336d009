adthresh --maps data/bottle --masks data/bottle --aupimo=1e-4:1e-3 --fail-under image.aupimo=0.5 data/bottle/scores.csv
