adthresh --format
