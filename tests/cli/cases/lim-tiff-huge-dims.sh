adthresh --maps tests/cli/inputs/bad/huge.tiff --masks tests/cli/inputs/bad/huge.tiff
