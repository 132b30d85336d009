adthresh --batch tests/cli/inputs/batch/scores
