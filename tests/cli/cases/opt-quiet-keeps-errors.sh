printf 'score,label\n0.1,0\nx,1\n' | adthresh -q
