adthresh --maps tests/cli/inputs/px/bad/corrupt.npy --masks tests/cli/inputs/px/bad/mask.png
