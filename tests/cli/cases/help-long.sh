adthresh --help
