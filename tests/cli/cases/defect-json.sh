adthresh --maps data/bottle --masks data/bottle --per-defect --format json data/bottle/scores.csv
