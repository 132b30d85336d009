adthresh --batch --image-threshold 0.85 tests/cli/inputs/batch/scores
