printf 'score,label\n1e308,0\n-1e308,0\n' | adthresh - --policy sigma:3
