adthresh --maps data/bottle --masks data/bottle --curves - -o /dev/null --curve-points 3 data/bottle/scores.csv
