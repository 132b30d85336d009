printf 'score,label\n1e-3,0\n2.5E+2,1\n-7,0\n+3,1\n.5,0\n' | adthresh -f csv
