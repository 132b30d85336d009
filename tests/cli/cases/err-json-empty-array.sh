printf '[]\n' | adthresh
