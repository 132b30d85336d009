cat tests/cli/inputs/semicolon.csv | adthresh -f csv
