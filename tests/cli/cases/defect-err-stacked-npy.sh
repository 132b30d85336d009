adthresh --per-defect --maps tests/cli/inputs/px/stack/maps.npy --masks tests/cli/inputs/px/stack/masks.npy
