adthresh --maps tests/cli/inputs/px/mvtec/maps
