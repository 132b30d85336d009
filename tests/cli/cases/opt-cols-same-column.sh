adthresh --score-col value --label-col 2 tests/cli/inputs/generic.csv
