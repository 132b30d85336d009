adthresh --map-maxima data/scores.csv
