T=$(mktemp -d) && cd "$T" && ln -s /dev/full p.png && adthresh --maps "$OLDPWD/data/bottle" --masks "$OLDPWD/data/bottle" --plot p.png "$OLDPWD/data/bottle/scores.csv"
