adthresh --maps data/bottle --masks data/bottle --plot /dev/full data/bottle/scores.csv
