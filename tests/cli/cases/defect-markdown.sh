adthresh --maps data/bottle --masks data/bottle --per-defect --format markdown data/bottle/scores.csv
