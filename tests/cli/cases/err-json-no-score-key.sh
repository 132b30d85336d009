printf '[{"prob": 0.1, "label": 0}]\n' | adthresh
