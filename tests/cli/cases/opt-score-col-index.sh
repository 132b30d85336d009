adthresh --score-col 2 --label-col 3 -f csv tests/cli/inputs/generic.csv
