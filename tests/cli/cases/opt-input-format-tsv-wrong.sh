adthresh --input-format tsv tests/cli/inputs/mvtec.csv
