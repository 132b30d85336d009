adthresh -o nonexistent-dir/result.txt data/scores.csv
