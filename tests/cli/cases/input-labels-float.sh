printf 'score,label\n0.2,0.0\n0.8,1.0\n0.6,0.0\n' | adthresh -f csv
