adthresh --compare-policies --policy pixel=fpr:0.01 --policy image=precision:1 --format json --maps data/bottle --masks data/bottle
