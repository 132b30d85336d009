printf '{"score": 0.2, "label": 0}\r\n\r\n{"score": 0.8, "label": 1}\r\n' | adthresh --input-format jsonl -f csv
