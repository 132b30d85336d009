adthresh --threads 2 --format json --maps data/bottle --masks data/bottle
