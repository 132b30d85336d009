adthresh --allow-one-class --aupimo=0.1:1 --format json --maps tests/cli/inputs/px/mvtec/maps --masks tests/cli/inputs/px/masks-empty
