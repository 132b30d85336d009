adthresh --maps tests/cli/inputs/bad/huge.npy --masks tests/cli/inputs/bad/huge.png
