printf 'score,label\n0.9,0\n0.7,1\n0.5,1\n0.1,0\n' | adthresh --compare-policies --policy precision:1 --policy fpr:0 --policy f1 --format json -
