adthresh --image-threshold 0.5 --pixel-threshold 0.6 --maps tests/cli/inputs/px/mvtec/maps --masks tests/cli/inputs/px/mvtec/masks
