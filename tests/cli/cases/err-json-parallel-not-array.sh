printf '{"scores": [0.1, 0.2],\n "labels": "01"}\n' | adthresh
