adthresh --maps tests/cli/inputs/px/maps-f16 --masks tests/cli/inputs/px/mvtec/masks
