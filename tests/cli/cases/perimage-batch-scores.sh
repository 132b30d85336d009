adthresh --batch --per-image - -o /dev/null tests/cli/inputs/batch/scores
