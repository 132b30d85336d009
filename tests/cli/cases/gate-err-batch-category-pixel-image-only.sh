adthresh --batch --fail-under wood.pixel.f1=0.1 tests/cli/inputs/batch/scores
