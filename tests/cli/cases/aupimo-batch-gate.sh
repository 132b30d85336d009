adthresh --batch --maps tests/cli/inputs/batch/mvtec/results --masks tests/cli/inputs/batch/mvtec/dataset --aupimo=0.05:1 --fail-under mean.pixel.aupimo=0.95,*.pixel.aupimo=0.8
