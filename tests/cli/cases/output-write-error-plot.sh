d=$(mktemp -d) && cd "$d" && ln -s /dev/full p.svg && adthresh -o r.txt --save-thresholds t.json --curves c.csv --plot p.svg "$OLDPWD/data/scores.csv"; echo "exit $?"; ls -A "$d"
