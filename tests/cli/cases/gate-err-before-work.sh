adthresh --fail-under image.bogus=1 tests/cli/inputs/batch/no-such-file.csv
