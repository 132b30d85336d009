cut -d, -f2,3 data/scores.csv | adthresh --per-defect -
