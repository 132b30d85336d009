adthresh --maps tests/cli/inputs/bad/huge.png --masks tests/cli/inputs/bad/huge.png
