adthresh --score-col 5 tests/cli/inputs/generic.csv
