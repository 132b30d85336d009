adthresh --format markdown data/scores.csv
