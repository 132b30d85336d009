adthresh --aupro data/scores.csv
