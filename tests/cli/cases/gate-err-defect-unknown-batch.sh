adthresh --batch --maps tests/cli/inputs/batch/mvtec/results --masks tests/cli/inputs/batch/mvtec/dataset --per-defect --gate 'screw.defect.crack.image.recall>=1'
