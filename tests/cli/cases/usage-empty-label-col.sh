adthresh --label-col= data/scores.csv
