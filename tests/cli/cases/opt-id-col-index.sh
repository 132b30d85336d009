adthresh --score-col 2 --id-col 1 -f csv tests/cli/inputs/generic.csv
