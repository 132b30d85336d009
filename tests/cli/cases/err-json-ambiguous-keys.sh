printf '[{"score": 0.1, "anomaly_score": 0.2, "label": 0}]\n' | adthresh
