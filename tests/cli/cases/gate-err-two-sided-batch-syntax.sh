adthresh --batch --maps tests/cli/inputs/batch/mvtec/results --masks tests/cli/inputs/batch/mvtec/dataset --gate 'mean.image.f1'
