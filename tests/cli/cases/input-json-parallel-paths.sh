printf '{"image_paths": ["a/good/1.png", "a/crack/2.png", "a/good/3.png"],\n "scores": [0.2, 0.8, 0.5]}\n' | adthresh -v -f csv
