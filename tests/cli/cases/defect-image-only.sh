adthresh --per-defect data/scores.csv
