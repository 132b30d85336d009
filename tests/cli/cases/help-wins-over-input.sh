adthresh --help nonexistent.csv > "$TMPDIR/help-first.txt"; echo "exit $?"; cmp "$TMPDIR/help-first.txt" tests/cli/cases/help-long.out && echo "same as --help"
