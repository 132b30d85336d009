adthresh --maps data/bottle --masks data/bottle --compare-policies --policy pixel=sigma:3 --policy pixel=fpr:0 --format json
