adthresh -f json tests/cli/inputs/lines.jsonl
