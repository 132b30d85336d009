printf 'score,label\n-0,0\n0,1\n0.0,0\n-0.5,0\n' | adthresh -f json
