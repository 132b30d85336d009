adthresh --map-maxima --maps tests/cli/inputs/batch/mvtec/results/bottle --masks tests/cli/inputs/batch/mvtec/dataset/bottle
