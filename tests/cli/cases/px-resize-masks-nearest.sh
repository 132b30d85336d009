adthresh --resize-masks nearest --maps tests/cli/inputs/px/mvtec/maps --masks tests/cli/inputs/px/masks-big
