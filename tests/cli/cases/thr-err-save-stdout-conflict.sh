adthresh --save-thresholds - tests/cli/inputs/mvtec.csv
