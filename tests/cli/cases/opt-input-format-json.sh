adthresh --input-format json -f csv tests/cli/inputs/array.txt
