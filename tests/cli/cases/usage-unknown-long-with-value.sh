adthresh --bogus=3 data/scores.csv
