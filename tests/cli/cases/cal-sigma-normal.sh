adthresh --maps data/bottle/test/good --policy sigma:3
