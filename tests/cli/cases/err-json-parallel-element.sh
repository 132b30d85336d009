printf '{"scores": [0.1,\n  null],\n "labels": [0, 1]}\n' | adthresh
