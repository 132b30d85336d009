adthresh --positive-label '' data/scores.csv
