adthresh --per-image tests/cli/inputs/batch/no-such-folder/p.csv data/scores.csv
