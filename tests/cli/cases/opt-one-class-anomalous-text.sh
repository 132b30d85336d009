printf 'score,label\n0.1,1\n0.7,1\n0.1,1\n' | adthresh --allow-one-class
