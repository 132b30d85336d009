printf 'file,score,label\na,0.1,0\n"b,0.2,1\nc,0.3,0\n' | adthresh
