adthresh --batch --masks tests/cli/inputs/batch/mvtec/dataset tests/cli/inputs/batch/scores
