adthresh --input-format jsonl -f csv tests/cli/inputs/lines.json
