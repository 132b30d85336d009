d=$(mktemp -d) && adthresh -o "$d/r.txt" --save-thresholds "$d/t.json" --curves "/nonexistent/c.csv" --plot "$d/p.svg" data/scores.csv; echo "exit $?"; ls -A "$d"
