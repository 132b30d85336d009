adthresh --maps data/bottle --masks data/bottle --columns level,threshold,f1,aupro data/bottle/scores.csv
