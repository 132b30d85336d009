adthresh --allow-one-class --format markdown --maps tests/cli/inputs/px/mvtec/maps --masks tests/cli/inputs/px/masks-empty
