adthresh --maps data/bottle --masks data/bottle --aupro --max-fpr 0.3 --format csv data/bottle/scores.csv
