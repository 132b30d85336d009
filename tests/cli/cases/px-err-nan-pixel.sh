adthresh --maps tests/cli/inputs/px/pairing/nan --masks tests/cli/inputs/px/pairing/nan
