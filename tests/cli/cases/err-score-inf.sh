printf 'score,label\n0.1,0\n-inf,1\n' | adthresh
