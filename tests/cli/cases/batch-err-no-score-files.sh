adthresh --batch tests/cli/inputs/batch/mvtec/dataset
