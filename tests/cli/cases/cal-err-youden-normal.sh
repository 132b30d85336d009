adthresh --maps data/bottle/test/good --policy youden
