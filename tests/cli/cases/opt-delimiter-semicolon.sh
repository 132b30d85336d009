adthresh --delimiter ';' -f csv tests/cli/inputs/semicolon.csv
