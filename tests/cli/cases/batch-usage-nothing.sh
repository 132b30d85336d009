adthresh --batch
