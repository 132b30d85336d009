adthresh --allow-one-class --format json --maps tests/cli/inputs/px/mvtec/maps --masks tests/cli/inputs/px/masks-empty tests/cli/inputs/px/mvtec/scores.csv
