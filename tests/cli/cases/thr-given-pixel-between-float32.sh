adthresh --format csv --pixel-threshold 0.50000001 --maps tests/cli/inputs/px/mvtec/maps --masks tests/cli/inputs/px/mvtec/masks
