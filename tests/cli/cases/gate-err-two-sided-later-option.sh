adthresh --gate 'image.fp<=1' --gate 'image.fn<=1,pixel.f1=1' --maps tests/cli/inputs/px/mvtec/maps --masks tests/cli/inputs/px/mvtec/masks tests/cli/inputs/px/mvtec/scores.csv
