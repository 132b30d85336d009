adthresh --policy youden --format csv data/scores.csv
