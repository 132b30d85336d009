adthresh -f csv -- - < tests/cli/inputs/mvtec.csv
