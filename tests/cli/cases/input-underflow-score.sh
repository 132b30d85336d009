printf 'score,label\n1e-400,0\n1e-300,1\n' | adthresh -f json
