printf 'score,label\n0.1,0\n0.5,0\n0.9,0\n' | adthresh --policy corner -
