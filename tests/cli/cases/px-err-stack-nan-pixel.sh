adthresh --maps tests/cli/inputs/px/stack/maps-nan.npy --masks tests/cli/inputs/px/stack/masks.npy
