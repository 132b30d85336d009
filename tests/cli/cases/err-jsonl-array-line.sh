printf '{"score": 0.1, "label": 0}\n[0.2, 1]\n' | adthresh --input-format jsonl
