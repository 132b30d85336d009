adthresh --policy sigma:3 --image-threshold 1.5 --format json data/bottle/scores.csv
