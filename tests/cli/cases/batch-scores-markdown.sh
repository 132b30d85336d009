adthresh --batch --format markdown tests/cli/inputs/batch/scores
