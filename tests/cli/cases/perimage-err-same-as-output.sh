d=$(mktemp -d) && adthresh -o "$d/r.csv" --per-image "$d/r.csv" data/scores.csv 2>"$d/err"; echo "exit $?"; sed "s|$d|TMP|g" "$d/err"; ls -A "$d"
