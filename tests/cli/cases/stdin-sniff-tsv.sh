cat tests/cli/inputs/mvtec.tsv | adthresh -f csv
