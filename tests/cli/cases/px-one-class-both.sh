adthresh --allow-one-class --maps tests/cli/inputs/px/mvtec/maps --masks tests/cli/inputs/px/masks-empty
