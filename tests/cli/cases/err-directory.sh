adthresh tests/cli/inputs
