printf '[\n {"score": 0.1, "label": 0},\n {"score": NaN, "label": 1}\n]\n' | adthresh
