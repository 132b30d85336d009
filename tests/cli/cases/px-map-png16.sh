adthresh --format json --maps tests/cli/inputs/px/maps-png16 --masks tests/cli/inputs/px/mvtec/masks
