adthresh --maps tests/cli/inputs/px/bad/map.tiff --masks tests/cli/inputs/px/bad/mask.png
