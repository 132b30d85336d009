adthresh --batch --maps tests/cli/inputs/batch/mvtec/results --masks tests/cli/inputs/batch/mvtec/dataset --format json --fail-under carpet.pixel.f1=0.8,screw.pixel.f1=0.8,bottle.image.auroc=1
