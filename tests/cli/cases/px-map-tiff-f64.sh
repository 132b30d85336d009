adthresh --format json --maps tests/cli/inputs/px/maps-f64 --masks tests/cli/inputs/px/mvtec/masks
