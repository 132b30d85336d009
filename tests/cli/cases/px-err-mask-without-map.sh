adthresh --maps tests/cli/inputs/px/pairing/orphan --masks tests/cli/inputs/px/pairing/orphan
