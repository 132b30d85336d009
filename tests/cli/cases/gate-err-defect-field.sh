adthresh --per-defect --gate 'defect.good.image.auroc>=0.9' --maps data/bottle --masks data/bottle data/bottle/scores.csv
