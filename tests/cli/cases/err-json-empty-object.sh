printf '{}\n' | adthresh
