adthresh --batch --fail-under mean.pixel.f1=0.1 tests/cli/inputs/batch/scores
