adthresh --per-image - --curves - -o /dev/null data/scores.csv
