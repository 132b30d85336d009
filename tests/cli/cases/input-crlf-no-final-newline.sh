printf 'score,label\r\n0.2,0\r\n0.8,1' | adthresh -f csv
