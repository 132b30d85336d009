printf 'score,label\n0.1,0\nhigh,1\n' | adthresh
