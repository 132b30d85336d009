adthresh --allow-one-class -f csv tests/cli/inputs/mvtec.csv
