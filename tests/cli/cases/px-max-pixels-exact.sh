adthresh --max-pixels 64 --maps tests/cli/inputs/px/mvtec/maps --masks tests/cli/inputs/px/mvtec/masks
