adthresh --batch --maps tests/cli/inputs/batch/mvtec/results --masks tests/cli/inputs/batch/mvtec/dataset --per-defect --gate 'metal.defect.crack.image.recall>=1'
