printf 'score,label\n0.1,0\n1e999,1\n' | adthresh
