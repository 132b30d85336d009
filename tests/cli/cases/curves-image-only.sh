adthresh --curves - -o /dev/null data/scores.csv | head -n 5
