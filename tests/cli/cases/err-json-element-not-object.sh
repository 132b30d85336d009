printf '[{"score": 0.1, "label": 0}, 0.5]\n' | adthresh
