printf 'score,label\n0.5,maybe\n' | adthresh -o "$TMPDIR/opt-o-bad.txt" -; echo "exit $?"; test -e "$TMPDIR/opt-o-bad.txt" && echo created || echo "not created"
