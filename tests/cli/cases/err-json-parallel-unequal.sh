printf '{"scores": [0.1, 0.2, 0.3],\n "labels": [0, 1]}\n' | adthresh
