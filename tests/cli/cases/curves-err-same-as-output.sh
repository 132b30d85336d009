cd "$TMPDIR" && adthresh --maps "$OLDPWD/data/bottle" --masks "$OLDPWD/data/bottle" --curves x -o ./x "$OLDPWD/data/bottle/scores.csv"
