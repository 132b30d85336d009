adthresh -v -f csv tests/cli/inputs/mvtec.csv
