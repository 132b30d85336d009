d=$(mktemp -d) && adthresh -o "$d" data/scores.csv 2>&1 | sed "s|$d|TMP|g"; ls -A "$d"
