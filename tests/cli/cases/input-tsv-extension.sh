adthresh tests/cli/inputs/mvtec.tsv
