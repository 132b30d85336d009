adthresh -f json tests/cli/inputs/quoted.csv
