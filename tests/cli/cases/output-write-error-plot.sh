d=$(mktemp -d) && adthresh -o "$d/r.txt" --save-thresholds "$d/t.json" --curves "$d/c.csv" --plot /dev/full data/scores.csv; echo "exit $?"; ls -A "$d"
