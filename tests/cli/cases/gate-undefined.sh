adthresh --image-threshold 1 --fail-under image.precision=0,image.f1=0 tests/cli/inputs/px/mvtec/scores.csv
