adthresh --per-defect --format json data/scores.csv
