adthresh -x data/scores.csv
