adthresh --max-pixels 40 --maps tests/cli/inputs/px/mvtec/maps --masks tests/cli/inputs/px/mvtec/masks
