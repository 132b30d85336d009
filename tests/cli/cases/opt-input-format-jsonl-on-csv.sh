adthresh --input-format jsonl tests/cli/inputs/mvtec.csv
