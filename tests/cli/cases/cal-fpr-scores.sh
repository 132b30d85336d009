printf 'score,label\n0.5,0\n0.25,0\n1.5,0\n0.75,0\n' | adthresh - --policy fpr:0.25
