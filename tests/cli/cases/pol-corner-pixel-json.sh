adthresh --policy corner --rule gt --format json --maps data/bottle --masks data/bottle
