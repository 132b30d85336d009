adthresh --resize-masks bilinear --maps tests/cli/inputs/px/mvtec/maps --masks tests/cli/inputs/px/mvtec/masks
