adthresh --batch --maps tests/cli/inputs/batch/mvtec/results --masks tests/cli/inputs/batch/mvtec/dataset --per-defect --gate 'defect.crack.image.recall>=0.9'
