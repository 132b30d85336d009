adthresh --maps data/bottle --policy fpr:0.01
