printf 'score,label\n0.9,0\n0.5,1\n0.2,0\n' | adthresh --policy fpr:0 -
