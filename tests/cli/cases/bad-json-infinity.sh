printf '[\n {"score": 0.1, "label": 0},\n {"score": -Infinity, "label": 1}\n]\n' | adthresh
