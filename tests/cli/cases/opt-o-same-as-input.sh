cp tests/cli/inputs/mvtec.csv "$TMPDIR/same.csv" && cd "$TMPDIR" && adthresh -o same.csv ./same.csv; echo "exit $?"; wc -l < same.csv
