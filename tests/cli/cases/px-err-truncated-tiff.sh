adthresh --maps tests/cli/inputs/px/bad/truncated.tiff --masks tests/cli/inputs/px/bad/mask.png
