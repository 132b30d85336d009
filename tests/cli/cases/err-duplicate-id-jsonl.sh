printf '{"path": "x", "score": 0.1, "label": 0}\n{"path": "y", "score": 0.2, "label": 1}\n{"path": "x", "score": 0.3, "label": 1}\n' | adthresh --input-format jsonl
