adthresh tests/cli/inputs/tab.csv
