adthresh --quiet -vx data/scores.csv
