adthresh -o /dev/full data/scores.csv
