adthresh --aupro=0.2 --format json --maps tests/cli/inputs/px/stack/maps.npy --masks tests/cli/inputs/px/stack/masks.npy
