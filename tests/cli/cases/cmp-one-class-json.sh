printf 'score,label\n0.1,0\n0.5,0\n0.9,0\n0.9,0\n' | adthresh --allow-one-class --compare-policies --policy fpr:0.5 --policy fpr:0 --format json -
