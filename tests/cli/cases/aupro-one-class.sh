adthresh --allow-one-class --aupro --format json --maps tests/cli/inputs/px/mvtec/maps --masks tests/cli/inputs/px/masks-empty
