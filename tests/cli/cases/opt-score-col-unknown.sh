adthresh --score-col probability tests/cli/inputs/generic.csv
