printf 'file,score,label\na,0.1,0\n"b"c,0.2,1\n' | adthresh
