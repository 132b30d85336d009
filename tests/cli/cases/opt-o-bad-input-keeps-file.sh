echo old > "$TMPDIR/opt-o-keep.txt"; adthresh -o "$TMPDIR/opt-o-keep.txt" nonexistent.csv; echo "exit $?"; cat "$TMPDIR/opt-o-keep.txt"
