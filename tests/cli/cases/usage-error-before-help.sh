adthresh --bogus --help
