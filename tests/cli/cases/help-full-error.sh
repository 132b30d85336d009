adthresh --help > /dev/full
