# -v says how many rows --curves wrote, to a file or to standard output.
cp -r data/scores.csv tests/cli/inputs/batch/scores "$TMPDIR" && cd "$TMPDIR" && adthresh -v --curves c.csv scores.csv >/dev/null && wc -l <c.csv && adthresh -v --curves - --curve-points all -o /dev/null scores.csv | wc -l && adthresh -v --batch --curves b.csv --curve-points 3 -o /dev/null scores && wc -l <b.csv
