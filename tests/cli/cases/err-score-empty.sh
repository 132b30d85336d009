printf 'score,label\n0.1,0\n,1\n' | adthresh
