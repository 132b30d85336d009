printf '[{"score": 2e-1, "label": 0.0}, {"score": 8E-1, "label": 1.0}, {"score": -0.5, "label": 0}]' | adthresh -f csv
