tr , '\t' < tests/cli/inputs/mvtec.csv | adthresh --input-format tsv -f csv
