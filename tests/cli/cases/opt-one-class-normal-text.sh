printf 'score,label\n0.1,0\n0.7,0\n0.7,0\n' | adthresh --allow-one-class
