adthresh --batch --maps tests/cli/inputs/batch/mvtec/results --masks tests/cli/inputs/batch/mvtec/dataset --format csv --fail-under '*.image.auroc=0.8,*.pixel.f1=0.7'
