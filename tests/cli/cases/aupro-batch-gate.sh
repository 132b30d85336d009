adthresh --batch --maps tests/cli/inputs/batch/mvtec/results --masks tests/cli/inputs/batch/mvtec/dataset --aupro --fail-under mean.pixel.aupro=0.999,*.pixel.aupro=0.5
