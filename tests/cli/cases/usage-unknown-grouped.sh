adthresh -qx data/scores.csv
