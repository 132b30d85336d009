adthresh -o '' data/scores.csv
