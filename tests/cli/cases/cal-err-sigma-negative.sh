adthresh --policy sigma:-1 -
