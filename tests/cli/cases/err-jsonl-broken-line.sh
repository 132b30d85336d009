printf '{"score": 0.1, "label": 0}\n{"score": 0.2,\n "label": 1}\n' | adthresh --input-format jsonl
