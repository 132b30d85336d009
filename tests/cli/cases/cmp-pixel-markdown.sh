adthresh --compare-policies --rule gt --format markdown --maps data/bottle --masks data/bottle
