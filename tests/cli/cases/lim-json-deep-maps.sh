/usr/bin/python3 -c 'print("[" * 100000 + "]" * 100000)' > "$TMPDIR/deep.json" && cd "$TMPDIR" && adthresh --maps deep.json
