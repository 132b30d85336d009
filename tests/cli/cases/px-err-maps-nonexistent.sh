adthresh --maps tests/cli/inputs/px/no-such-folder --masks tests/cli/inputs/px/mvtec/masks
