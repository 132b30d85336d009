adthresh --verbose=1 --bogus data/scores.csv
