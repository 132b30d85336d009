adthresh --allow-one-class --quiet --maps tests/cli/inputs/px/mvtec/maps --masks tests/cli/inputs/px/masks-empty tests/cli/inputs/px/mvtec/scores.csv
