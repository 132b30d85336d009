adthresh --maps data/bottle --masks data/bottle --aupimo= data/bottle/scores.csv
