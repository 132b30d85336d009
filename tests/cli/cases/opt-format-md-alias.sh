adthresh -f md tests/cli/inputs/mvtec.csv
