adthresh -f csv tests/cli/inputs/bools.json
