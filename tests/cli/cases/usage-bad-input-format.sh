adthresh --input-format xlsx data/scores.csv
