adthresh --max-pixels 100000000 --maps tests/cli/inputs/bad/huge.png --masks tests/cli/inputs/bad/huge.png
