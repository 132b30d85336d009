adthresh --per-defect --fail-under defect.contamination.image.recall=0.9,defect.good.image.recall=0 --maps data/bottle --masks data/bottle data/bottle/scores.csv
