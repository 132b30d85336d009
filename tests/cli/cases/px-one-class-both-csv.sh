adthresh --allow-one-class --format csv --maps tests/cli/inputs/px/mvtec/maps --masks tests/cli/inputs/px/masks-empty
