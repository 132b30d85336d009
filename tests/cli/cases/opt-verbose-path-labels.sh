adthresh -v tests/cli/inputs/paths-only.csv
