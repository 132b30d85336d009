T=$(mktemp -d) && cd "$T" && ln -s /dev/full p.svg && adthresh --maps "$OLDPWD/data/bottle" --masks "$OLDPWD/data/bottle" --plot p.svg "$OLDPWD/data/bottle/scores.csv"
