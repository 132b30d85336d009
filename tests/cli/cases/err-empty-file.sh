adthresh /dev/null
