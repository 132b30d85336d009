adthresh --form json tests/cli/inputs/mvtec.csv
