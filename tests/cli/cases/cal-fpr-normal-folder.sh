adthresh --maps data/bottle/test/good --policy fpr:0.01
