adthresh --batch --maps tests/cli/inputs/batch/mvtec/results --masks tests/cli/inputs/batch/mvtec/dataset --fail-under mean.pixel.auroc=0.95,mean.image.recall=1
