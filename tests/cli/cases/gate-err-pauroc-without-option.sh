adthresh --fail-under image.pauroc=0.5 data/scores.csv
