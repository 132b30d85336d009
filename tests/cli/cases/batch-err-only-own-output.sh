d=$(mktemp -d) && cp tests/cli/inputs/batch/scores/bottle.csv "$d/" && adthresh --batch "$d" -o "$d/bottle.csv" -f csv 2>&1 | sed "s|$d|DIR|g"; wc -l < "$d/bottle.csv"
