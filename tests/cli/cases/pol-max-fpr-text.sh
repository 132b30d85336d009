adthresh --max-fpr 0.3 --maps data/bottle --masks data/bottle data/bottle/scores.csv
