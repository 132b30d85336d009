printf '[{"score": 0.2, "label": "good"}, {"score": 0.8, "label": "NG"}, {"score": 0.5, "label": "1"}]' | adthresh -f csv
