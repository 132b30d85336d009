adthresh --maps tests/cli/inputs/px/maps-csv --masks tests/cli/inputs/px/mvtec/masks
