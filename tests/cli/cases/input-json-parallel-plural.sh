adthresh -f csv tests/cli/inputs/parallel.json
