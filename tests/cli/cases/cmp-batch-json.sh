adthresh --batch --compare-policies --policy pixel=fpr:0.05 --format json --maps tests/cli/inputs/batch/mvtec/results --masks tests/cli/inputs/batch/mvtec/dataset
