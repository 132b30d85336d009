adthresh --positive-label 0 -f csv tests/cli/inputs/mvtec.csv
