adthresh --maps tests/cli/inputs/px/bad/fortran.npy --masks tests/cli/inputs/px/bad/mask.png
