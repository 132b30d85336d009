adthresh --rule gt tests/cli/inputs/mvtec.csv
