T=$(mktemp -d) && cd "$T" && ln -s /dev/full p.pdf && adthresh --plot p.pdf "$OLDPWD/data/scores.csv"
