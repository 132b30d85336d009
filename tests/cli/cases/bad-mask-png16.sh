adthresh --maps tests/cli/inputs/px/bad/map.tiff --masks tests/cli/inputs/bad/mask16.png
