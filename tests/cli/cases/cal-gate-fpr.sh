adthresh --maps data/bottle/test/good --policy fpr:0.01 --gate 'pixel.fpr<=0.001,image.fp<=0' -q
