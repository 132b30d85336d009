tr , '|' < tests/cli/inputs/mvtec.csv | adthresh --delimiter '|' -f csv
