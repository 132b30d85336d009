adthresh --maps tests/cli/inputs/px/pairing/inf --masks tests/cli/inputs/px/pairing/inf
