adthresh --per data/scores.csv
