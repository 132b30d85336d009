adthresh --maps data/bottle --masks data/bottle --policy sigma:2 --format json
