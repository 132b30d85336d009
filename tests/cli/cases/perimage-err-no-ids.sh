adthresh --per-image - -o /dev/null tests/cli/inputs/words.csv
