adthresh -f markdown --maps tests/cli/inputs/px/doc/results.json
