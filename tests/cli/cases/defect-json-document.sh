adthresh --maps tests/cli/inputs/px/doc/results.json --per-defect
