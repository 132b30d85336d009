adthresh --maps data/bottle/test/good
