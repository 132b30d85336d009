printf '{\n "image_paths": ["a",\n   "b",\n   "a"],\n "scores": [0.1, 0.2, 0.3],\n "labels": [0, 1, 1]\n}\n' | adthresh
