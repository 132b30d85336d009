adthresh --batch --maps tests/cli/inputs/batch/mvtec/results --masks tests/cli/inputs/batch/mvtec/dataset --format csv --fail-under mean.pixel.auroc=0.93,mean.image.f1=0.85,mean.pixel.categories=3
