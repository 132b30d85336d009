adthresh --memory 512K --maps data/bottle --masks data/bottle
