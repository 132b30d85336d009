cat tests/cli/inputs/array.json | adthresh -f csv
