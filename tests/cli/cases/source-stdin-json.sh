cat data/scores.csv | adthresh -f json -
