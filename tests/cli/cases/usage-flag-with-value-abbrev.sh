adthresh --allow-one-class=yes data/scores.csv
