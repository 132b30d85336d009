adthresh --maps data/bottle --masks data/bottle --curve-points 10 data/bottle/scores.csv
