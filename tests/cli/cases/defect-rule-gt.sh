adthresh --maps data/bottle --masks data/bottle --per-defect --rule gt data/bottle/scores.csv
