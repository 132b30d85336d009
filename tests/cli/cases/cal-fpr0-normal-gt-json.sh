adthresh --maps data/bottle/test/good --policy fpr:0 --format json --rule gt
