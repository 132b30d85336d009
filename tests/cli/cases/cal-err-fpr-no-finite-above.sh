printf 'score,label\n1.7976931348623157e308,0\n0.5,0\n' | adthresh - --policy fpr:0
