adthresh --score-col '' data/scores.csv
