adthresh --curve-points corners data/scores.csv
