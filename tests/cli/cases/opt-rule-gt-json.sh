adthresh --rule gt -f json tests/cli/inputs/mvtec.csv
