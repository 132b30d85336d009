adthresh -f csv --maps tests/cli/inputs/px/doc/results.json
