adthresh -f json tests/cli/inputs/words.csv
