/usr/bin/python3 -c 'print("[" * 100000 + "]" * 100000)' | adthresh
