d=$(mktemp -d) && adthresh -o "/nonexistent/r.txt" --save-thresholds "$d/t.json" --curves "$d/c.csv" --plot "$d/p.svg" data/scores.csv; echo "exit $?"; ls -A "$d"
