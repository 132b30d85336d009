cat tests/cli/inputs/lines.jsonl | adthresh -f csv
