adthresh --maps data/bottle --masks data/bottle --max-fpr 0.1 --columns level,threshold,auroc,pauroc,f1 --format markdown data/bottle/scores.csv
