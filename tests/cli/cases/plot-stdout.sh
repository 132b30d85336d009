T=$(mktemp -d) && adthresh --maps data/bottle --masks data/bottle --plot - -o "$T/r.txt" data/bottle/scores.csv | grep -o -e '<title>[^<]*</title>' -e 'stroke-dasharray:[0-9,]*' -e '^t = .*'
