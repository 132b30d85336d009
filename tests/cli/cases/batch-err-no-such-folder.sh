adthresh --batch tests/cli/inputs/batch/no-such-folder
