adthresh --version
