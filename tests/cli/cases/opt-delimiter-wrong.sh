adthresh --delimiter ';' tests/cli/inputs/mvtec.csv
