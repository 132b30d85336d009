adthresh --batch --format json tests/cli/inputs/batch/scores
