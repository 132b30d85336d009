adthresh --batch --compare-policies --format markdown --maps tests/cli/inputs/batch/mvtec/results --masks tests/cli/inputs/batch/mvtec/dataset
