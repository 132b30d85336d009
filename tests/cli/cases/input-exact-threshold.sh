printf 'score,label\n0.1,0\n0.30000000000000004,1\n0.3,0\n' | adthresh -f json
