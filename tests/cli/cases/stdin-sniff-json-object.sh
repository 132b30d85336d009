cat tests/cli/inputs/parallel.json | adthresh -f csv
