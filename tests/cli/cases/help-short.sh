adthresh -h > "$TMPDIR/help-short.txt"; echo "exit $?"; cmp "$TMPDIR/help-short.txt" tests/cli/cases/help-long.out && echo "same as --help"
