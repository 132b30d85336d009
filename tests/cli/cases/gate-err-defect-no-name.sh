adthresh --per-defect --gate 'defect.image.recall>=0.9' --maps data/bottle --masks data/bottle data/bottle/scores.csv
