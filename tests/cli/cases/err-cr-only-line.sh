printf 'score,label\r0.1,0\r0.2,0\rx,1\r' | adthresh
