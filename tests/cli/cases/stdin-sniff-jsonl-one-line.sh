printf '{"score": 0.1, "label": 0}\n' | adthresh
