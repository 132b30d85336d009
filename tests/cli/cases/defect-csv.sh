adthresh --maps data/bottle --masks data/bottle --per-defect --format csv data/bottle/scores.csv
