d=$(mktemp -d) && adthresh -o /dev/null --save-thresholds "$d/t.json" data/scores.csv; echo "exit $?"; ls -A "$d"; cat "$d/t.json"
