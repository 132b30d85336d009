adthresh --per-defect --gate 'defect.good.image.fp<=1,defect.broken.image.recall>=0.9' --maps data/bottle --masks data/bottle data/bottle/scores.csv
