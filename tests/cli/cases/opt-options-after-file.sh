adthresh tests/cli/inputs/mvtec.csv -f csv
