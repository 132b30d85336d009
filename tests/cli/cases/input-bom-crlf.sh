adthresh -f json tests/cli/inputs/bom-crlf.csv
