d=$(mktemp -d) && adthresh -o "$d/r.txt" --save-thresholds "/nonexistent/t.json" --curves "$d/c.csv" --plot "$d/p.svg" data/scores.csv; echo "exit $?"; ls -A "$d"
