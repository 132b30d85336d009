adthresh --bogus data/scores.csv
