adthresh --maps data/bottle/test/good/000.tiff --policy fpr:0.01
