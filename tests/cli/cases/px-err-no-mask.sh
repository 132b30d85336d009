adthresh --maps tests/cli/inputs/px/pairing/nomask --masks tests/cli/inputs/px/pairing/nomask
