printf '[{"score": 0.1, "quality": 0}]\n' | adthresh
