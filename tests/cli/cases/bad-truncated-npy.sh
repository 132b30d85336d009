adthresh --maps tests/cli/inputs/bad/truncated.npy --masks tests/cli/inputs/px/bad/mask.png
