d=$(mktemp -d) && n=$(printf 'r%.0s' $(seq 250)) && adthresh -o "$d/$n" --save-thresholds "$d/t$n" data/scores.csv && ls -A "$d" | awk '{ print length($0) }'
