adthresh --label-col status --positive-label fail -f csv tests/cli/inputs/status.csv
