mkdir -p "$TMPDIR/empty" && cd "$TMPDIR" && adthresh --maps empty --masks empty
