printf '[{"score": 0.2, "label": 0, "model": "patchcore", "meta": {"x": [1, 2]}}, {"score": 0.8, "label": 1, "model": null}]' | adthresh -f csv
