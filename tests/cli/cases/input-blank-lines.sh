printf 'score,label\n\n0.2,0\n   \n0.8,1\n\n' | adthresh -f csv
