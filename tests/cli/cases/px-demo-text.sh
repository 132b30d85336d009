adthresh --maps data/bottle --masks data/bottle data/bottle/scores.csv
