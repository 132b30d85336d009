d=$(mktemp -d) && adthresh --curves "$d/c.csv" --save-thresholds "$d/t.json" data/scores.csv > /dev/full; echo "exit $?"; ls -A "$d"
