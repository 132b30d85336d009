adthresh --maps tests/cli/inputs/bad/complex.npy --masks tests/cli/inputs/px/bad/mask.png
