printf 'score,label\n0.9,1\n0.6,0\n0.5,0\n0.3,1\n0.1,0\n' | adthresh -f json
