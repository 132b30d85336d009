adthresh tests/cli/inputs/lines.json
