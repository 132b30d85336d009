adthresh --batch --fail-under mean.image.categories=4 tests/cli/inputs/batch/scores
