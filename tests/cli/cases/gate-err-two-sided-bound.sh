adthresh --gate 'pixel.fp<=few' --maps tests/cli/inputs/px/mvtec/maps --masks tests/cli/inputs/px/mvtec/masks tests/cli/inputs/px/mvtec/scores.csv
