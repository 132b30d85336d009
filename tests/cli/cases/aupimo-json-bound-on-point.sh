adthresh --maps data/bottle --masks data/bottle --aupimo=1.8084490740740741e-05:1 --format json data/bottle/scores.csv
