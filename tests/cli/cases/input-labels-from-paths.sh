adthresh -f json tests/cli/inputs/paths-only.csv
