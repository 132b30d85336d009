adthresh --maps data/bottle --masks data/bottle --per-defect --map-maxima
