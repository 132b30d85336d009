printf 'score,label\n0.1,0\n0.2,yes\n0.3,no\n0.4,yes\n0.5,maybe\n0.6,1\n' | adthresh
