adthresh --maps data/bottle --masks data/bottle --per-defect --image-threshold 2 --pixel-threshold 1.5 data/bottle/scores.csv
