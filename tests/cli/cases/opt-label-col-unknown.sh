adthresh --score-col 2 --label-col y tests/cli/inputs/generic.csv
