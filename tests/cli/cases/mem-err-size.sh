adthresh --memory 4X --maps tests/cli/inputs/maps/m1.npy --masks tests/cli/inputs/maps/m1.npy
