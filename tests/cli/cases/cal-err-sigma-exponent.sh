adthresh --policy sigma:1e3 -
