adthresh --format json --fail-under pixel.recall=1,pixel.precision=0.8 --maps tests/cli/inputs/px/mvtec/maps --masks tests/cli/inputs/px/mvtec/masks
