printf '[\n {"score": 0.1, "label": "good}\n]\n' | adthresh
