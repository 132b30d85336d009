printf '[\n {"score": 0.1, "label": 0},\n {"score": 1e999, "label": 1}\n]\n' | adthresh
