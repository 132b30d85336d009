adthresh --fail-under pixel.f1=0.5 tests/cli/inputs/px/mvtec/scores.csv
