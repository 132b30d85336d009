adthresh --score-col VALUE --label-col Cls -f csv tests/cli/inputs/generic.csv
