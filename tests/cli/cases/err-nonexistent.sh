adthresh nonexistent.csv
