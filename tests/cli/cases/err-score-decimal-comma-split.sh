printf 'score,label\n0.1,0\n0,9,1\n' | adthresh
