adthresh --maps tests/cli/inputs/px/mvtec/maps --masks tests/cli/inputs/px/bad/mask.png
