adthresh --maps data/bottle --masks data/bottle --curves /dev/full data/bottle/scores.csv
