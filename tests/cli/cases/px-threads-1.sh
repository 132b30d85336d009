adthresh --threads 1 --format json --maps data/bottle --masks data/bottle
