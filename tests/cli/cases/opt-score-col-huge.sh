adthresh --score-col 99999999999999999999 tests/cli/inputs/generic.csv
