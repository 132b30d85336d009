adthresh --maps data/bottle/test/good --policy pixel=sigma:2.5 --policy image=fpr:0.2 --format json
