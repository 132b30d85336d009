printf 'score,label\n0.1,1\n0.7,1\n0.3,1\n' | adthresh
