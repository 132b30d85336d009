adthresh --delimiter tab -f csv tests/cli/inputs/tab.csv
