adthresh --maps data/bottle/test/good --policy f1 --allow-one-class
