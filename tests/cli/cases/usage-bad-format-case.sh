adthresh -f JSON data/scores.csv
