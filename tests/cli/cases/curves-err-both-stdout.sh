adthresh --maps data/bottle --masks data/bottle --curves - data/bottle/scores.csv
