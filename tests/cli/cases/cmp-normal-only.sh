adthresh --maps data/bottle/test/good --compare-policies --policy sigma:2 --policy fpr:0.01
