adthresh tests/cli/inputs/array.txt
