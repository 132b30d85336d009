adthresh --pixel-threshold 0.8 --maps tests/cli/inputs/px/mvtec/maps --masks tests/cli/inputs/px/mvtec/masks
