adthresh --map=x data/scores.csv
