adthresh --maps tests/cli/inputs/px/bad/u8.tiff --masks tests/cli/inputs/px/bad/mask.png
