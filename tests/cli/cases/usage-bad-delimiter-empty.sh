adthresh --delimiter '' data/scores.csv
