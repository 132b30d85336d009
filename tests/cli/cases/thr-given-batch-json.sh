adthresh --batch --format json --image-threshold 0.85 tests/cli/inputs/batch/scores
