adthresh --maps tests/cli/inputs/px/maps-npy --masks tests/cli/inputs/px/mvtec/masks
