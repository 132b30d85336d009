adthresh --format json --policy image=fpr:0.05 --policy pixel=precision:0.9 --maps data/bottle --masks data/bottle data/bottle/scores.csv
