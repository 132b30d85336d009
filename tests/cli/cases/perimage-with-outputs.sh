# One more output beside the others: all written, each to its file.
d=$(mktemp -d) && adthresh -o "$d/r.txt" --save-thresholds "$d/t.json" --curves "$d/c.csv" --per-image "$d/p.csv" data/scores.csv && ls -A "$d" && head -n 3 "$d/p.csv"
