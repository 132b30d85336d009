adthresh --per-image - data/scores.csv
