printf 'score,label\n0.1,0\nNaN,1\n' | adthresh
