adthresh -qvf csv tests/cli/inputs/paths-only.csv
