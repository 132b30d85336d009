adthresh --format json --maps tests/cli/inputs/px/maps-png8 --masks tests/cli/inputs/px/mvtec/masks
