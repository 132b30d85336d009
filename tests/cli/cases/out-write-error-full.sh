adthresh data/scores.csv > /dev/full
