adthresh --batch --format csv tests/cli/inputs/batch/scores
