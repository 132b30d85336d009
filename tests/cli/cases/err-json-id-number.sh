printf '[{"score": 0.1, "label": 0, "image_path": 7}]\n' | adthresh
