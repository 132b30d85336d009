adthresh --format json --maps tests/cli/inputs/px/doc/results.json
