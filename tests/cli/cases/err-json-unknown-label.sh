printf '[\n {"score": 0.1, "label": "pass"},\n {"score": 0.2, "label": "fail"}\n]\n' | adthresh
