adthresh --batch --maps tests/cli/inputs/batch/mvtec/results --masks tests/cli/inputs/batch/mvtec/dataset --per-defect --gate '*.defect.dent.pixel.recall>=1'
