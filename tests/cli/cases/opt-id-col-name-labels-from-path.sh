adthresh --score-col value --id-col name -v -f csv tests/cli/inputs/generic.csv
