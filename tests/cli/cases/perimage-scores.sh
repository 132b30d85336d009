adthresh --per-image - -o /dev/null data/bottle/scores.csv
