adthresh --rule ge tests/cli/inputs/mvtec.csv
