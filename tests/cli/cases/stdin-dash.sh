adthresh - < tests/cli/inputs/mvtec.csv
