adthresh --format=csv tests/cli/inputs/mvtec.csv
