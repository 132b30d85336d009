adthresh --rule gt --format markdown data/scores.csv
