adthresh --fail-under 'image.f1>=0.9' --maps tests/cli/inputs/px/mvtec/maps --masks tests/cli/inputs/px/mvtec/masks tests/cli/inputs/px/mvtec/scores.csv
