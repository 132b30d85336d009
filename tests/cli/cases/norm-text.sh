adthresh --normalize minmax --maps data/bottle --masks data/bottle data/bottle/scores.csv
