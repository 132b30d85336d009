adthresh --max-pixels 0 --maps tests/cli/inputs/px/mvtec/maps --masks tests/cli/inputs/px/mvtec/masks
