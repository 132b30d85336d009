adthresh --maps data/bottle --masks data/bottle --per-defect data/bottle/scores.csv
