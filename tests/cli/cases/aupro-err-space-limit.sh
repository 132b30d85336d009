adthresh --maps tests/cli/inputs/px/mvtec/maps --masks tests/cli/inputs/px/mvtec/masks --aupro 0.5
