printf 'score,label\n1e308,1\n-1e308,0\n1.7976931348623157e308,1\n' | adthresh --normalize minmax
