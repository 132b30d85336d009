adthresh --per-defect --gate 'bottle.defect.good.image.fp<=1' --maps data/bottle --masks data/bottle data/bottle/scores.csv
