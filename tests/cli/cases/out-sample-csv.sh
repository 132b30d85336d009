adthresh --format csv data/scores.csv
