printf 'score,label\n0.1,0\n0.2,1,x\n' | adthresh
