adthresh --maps data/bottle --masks data/bottle --curves - --plot - -o /dev/null data/bottle/scores.csv
