adthresh --per-image /dev/full -o /dev/null data/scores.csv
