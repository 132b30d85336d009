adthresh --batch --maps tests/cli/inputs/batch/mvtec/results
