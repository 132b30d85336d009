adthresh --batch --fail-under '*.pixel.f1=0.1' tests/cli/inputs/batch/scores
