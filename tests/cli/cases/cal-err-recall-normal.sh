adthresh --maps data/bottle/test/good --policy pixel=recall:0.9 --policy image=fpr:0.1
